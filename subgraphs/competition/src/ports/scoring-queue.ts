/**
 * The queue between the competition subgraph (producer) and the scoring worker (consumer). Jobs are keyed
 * by submission id, so enqueuing twice is a no-op; the database stays the source of truth and the
 * worker's sweeper re-enqueues whatever the queue loses. bull on Redis in production.
 */
export interface ScoringQueue {
  /** Queues scoring of a submission; nothing happens when a job for it already exists. */
  enqueue(submissionId: string): Promise<void>;
  /** Queues it again: a finished (or failed) job under its id is dropped first. */
  requeue(submissionId: string): Promise<void>;
  /** Whether a job for the submission is waiting, delayed, paused or being worked on. */
  isPending(submissionId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** What the worker does with one job; a throw is an attempt that failed (and is retried). */
export type ScoringHandler = (submissionId: string) => Promise<unknown>;

/** Told once per job that failed its last attempt. */
export type GaveUpHandler = (submissionId: string, attempts: number, error: Error) => void;

/** The consuming side, for the worker. */
export interface ScoringConsumer extends ScoringQueue {
  /** Runs `handler` for each job, `concurrency` at a time, retrying failures up to the queue's attempt limit. */
  consume(concurrency: number, handler: ScoringHandler, onGaveUp: GaveUpHandler, onAttemptFailed?: AttemptFailed): void;
}

export type AttemptFailed = (submissionId: string, attempt: number, error: Error) => void;
