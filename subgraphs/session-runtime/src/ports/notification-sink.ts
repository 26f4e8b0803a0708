/** What every notification says: when, from which installation, whose session. */
interface NotificationBase {
  /** When it was sent (ISO 8601). */
  at: string;
  /** The installation's instance name, for receivers that hear from several. */
  instance: string;
  user: { id: string; email: string | null; displayName: string | null };
  session: { id: string; slug: string; name: string | null; exposure: string };
  /** The same words the owner sees in the console, the workbench and the terminals. */
  message: string;
}

/** A session is about to be stopped (idle, or at its maximum runtime). */
export interface StopWarningNotification extends NotificationBase {
  event: 'session.stop_warning';
  stop: { at: string; reason: 'idle' | 'max-runtime' | 'reservation' };
}

/** A session that waited in the queue for a GPU got one and is running. */
export interface QueueStartNotification extends NotificationBase {
  event: 'session.started_from_queue';
  queue: { joinedAt: string; waitedSeconds: number };
}

/** What an installation tells its notification webhook about a session (JSON, one POST per event). */
export type SessionNotification = StopWarningNotification | QueueStartNotification;

/** Where notifications go beyond the session itself (an admin-configured webhook); sending never throws. */
export interface NotificationSink {
  send(notification: SessionNotification): Promise<void>;
}

/** Who owns a session, in words a person reads (identity's, asked as the session-runtime service). */
export interface OwnerDirectory {
  contact(userId: string, requestId: string): Promise<{ email: string | null; displayName: string | null }>;
}
