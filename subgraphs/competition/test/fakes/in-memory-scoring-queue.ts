import type { AttemptFailed, GaveUpHandler, ScoringConsumer, ScoringHandler } from '../../src/ports/scoring-queue';

type JobState = 'waiting' | 'active' | 'completed' | 'failed';

interface Consumer {
  concurrency: number;
  handler: ScoringHandler;
  onGaveUp: GaveUpHandler;
  onAttemptFailed?: AttemptFailed;
}

/**
 * ScoringQueue in memory: jobs keyed by submission id as bull keys them, run and retried (without bull's
 * backoff) once a consumer attaches, states a test can move, and injectable enqueue failures (Redis down).
 * It passes the ScoringQueue contract (test/contracts) that BullScoringQueue passes on the real Redis.
 */
export class InMemoryScoringQueue implements ScoringConsumer {
  readonly jobs = new Map<string, JobState>();
  /** Every job ever added, in order (one entry per add that created a job). */
  readonly added: string[] = [];
  private readonly attemptsMade = new Map<string, number>();
  private enqueueFaults: Error[] = [];
  private consumer: Consumer | null = null;
  private running = 0;
  closed = false;

  constructor(private readonly attempts = 3) {}

  failNextEnqueue(error: Error = new Error('Connection is closed.')): void {
    this.enqueueFaults.push(error);
  }

  /** Redis lost its data (flushed, restarted without persistence). */
  forgetAll(): void {
    this.jobs.clear();
  }

  /** The job finished, as the worker would leave it in bull. */
  settle(submissionId: string, state: 'completed' | 'failed' = 'completed'): void {
    if (!this.jobs.has(submissionId)) throw new Error(`no job ${submissionId}`);
    this.jobs.set(submissionId, state);
  }

  async enqueue(submissionId: string): Promise<void> {
    const fault = this.enqueueFaults.shift();
    if (fault) throw fault;
    if (this.jobs.has(submissionId)) return;
    this.jobs.set(submissionId, 'waiting');
    this.attemptsMade.delete(submissionId);
    this.added.push(submissionId);
    setImmediate(() => this.runWaiting());
  }

  async requeue(submissionId: string): Promise<void> {
    this.jobs.delete(submissionId);
    await this.enqueue(submissionId);
  }

  async isPending(submissionId: string): Promise<boolean> {
    const state = this.jobs.get(submissionId);
    return state === 'waiting' || state === 'active';
  }

  consume(
    concurrency: number,
    handler: ScoringHandler,
    onGaveUp: GaveUpHandler,
    onAttemptFailed?: AttemptFailed,
  ): void {
    if (this.consumer) throw new Error('a consumer is already attached to this queue');
    this.consumer = { concurrency, handler, onGaveUp, onAttemptFailed };
    this.runWaiting();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Starts waiting jobs, oldest first, while the consumer has room. */
  private runWaiting(): void {
    const consumer = this.consumer;
    if (!consumer || this.closed) return;
    for (const [id, state] of this.jobs) {
      if (this.running >= consumer.concurrency) return;
      if (state !== 'waiting') continue;
      this.jobs.set(id, 'active');
      this.running++;
      void this.attempt(id, consumer);
    }
  }

  private async attempt(id: string, consumer: Consumer): Promise<void> {
    const attempt = (this.attemptsMade.get(id) ?? 0) + 1;
    this.attemptsMade.set(id, attempt);
    try {
      await consumer.handler(id);
      this.finish(id, 'completed');
    } catch (error) {
      consumer.onAttemptFailed?.(id, attempt, error as Error);
      if (attempt >= this.attempts) {
        this.finish(id, 'failed');
        consumer.onGaveUp(id, attempt, error as Error);
      } else if (this.jobs.get(id) === 'active') {
        this.jobs.set(id, 'waiting');
      }
    } finally {
      this.running--;
      setImmediate(() => this.runWaiting());
    }
  }

  /** A job requeued while it ran is a new job: the old run does not settle it. */
  private finish(id: string, state: 'completed' | 'failed'): void {
    if (this.jobs.get(id) === 'active') this.jobs.set(id, state);
  }
}
