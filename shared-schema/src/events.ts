/** Session state changes, published by session-runtime on Redis and consumed by the gateway. */
export const SESSION_EVENTS_CHANNEL = 'medforge:session:events';

export interface SessionEvent {
  sessionId: string;
  userId: string;
  slug: string;
  /** Lowercase database status (`starting`, `running`, ...). */
  status: string;
  at: string;
}
