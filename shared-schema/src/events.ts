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

/** Submission state changes (queued, scoring, scored, failed), published by competition and its worker. */
export const SUBMISSION_EVENTS_CHANNEL = 'medforge:submission:events';

export interface SubmissionEvent {
  submissionId: string;
  userId: string;
  competitionSlug: string;
  /** Lowercase database status. */
  status: string;
  at: string;
}
