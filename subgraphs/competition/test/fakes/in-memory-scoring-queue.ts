import type { ScoringQueue } from '../../src/ports/scoring-queue';

type JobState = 'waiting' | 'active' | 'completed' | 'failed';

/**
 * ScoringQueue in memory: jobs keyed by submission id as bull keys them, states a test can move, and
 * injectable enqueue failures (Redis down). The bull adapter is proved in bull-scoring-queue.test.ts.
 */
export class InMemoryScoringQueue implements ScoringQueue {
  readonly jobs = new Map<string, JobState>();
  /** Every job ever added, in order (one entry per add that created a job). */
  readonly added: string[] = [];
  private enqueueFaults: Error[] = [];
  closed = false;

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
    this.added.push(submissionId);
  }

  async requeue(submissionId: string): Promise<void> {
    this.jobs.delete(submissionId);
    await this.enqueue(submissionId);
  }

  async isPending(submissionId: string): Promise<boolean> {
    const state = this.jobs.get(submissionId);
    return state === 'waiting' || state === 'active';
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
