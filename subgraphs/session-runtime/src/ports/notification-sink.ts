/** What an installation tells its notification webhook about a session (JSON, one POST per event). */
export interface SessionNotification {
  event: 'session.stop_warning';
  /** When it was sent (ISO 8601). */
  at: string;
  /** The installation's instance name, for receivers that hear from several. */
  instance: string;
  user: { id: string; email: string | null; displayName: string | null };
  session: { id: string; slug: string; name: string | null; exposure: string };
  stop: { at: string; reason: 'idle' | 'max-runtime' };
  /** The same words the owner sees in the console, the workbench and the terminals. */
  message: string;
}

/** Where notifications go beyond the session itself (an admin-configured webhook); sending never throws. */
export interface NotificationSink {
  send(notification: SessionNotification): Promise<void>;
}

/** Who owns a session, in words a person reads (identity's, asked as the session-runtime service). */
export interface OwnerDirectory {
  contact(userId: string, requestId: string): Promise<{ email: string | null; displayName: string | null }>;
}
