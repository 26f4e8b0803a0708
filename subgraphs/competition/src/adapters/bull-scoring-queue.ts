import Queue from 'bull';

import type { AttemptFailed, GaveUpHandler, ScoringConsumer, ScoringHandler } from '../ports/scoring-queue';

interface ScoringJobData {
  submissionId: string;
}

/** How many times bull runs a job that crashed or threw before the worker gives up on it. */
export const SCORING_ATTEMPTS = 3;

const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

/**
 * The scoring queue on bull/Redis. The job id is the submission id, so enqueuing twice is a no-op. A
 * job whose worker stopped renewing its lock (crashed) goes back to waiting after `lockSeconds`.
 */
export class BullScoringQueue implements ScoringConsumer {
  private readonly queue: Queue.Queue<ScoringJobData>;

  constructor(name: string, redisUrl: string, lockSeconds = 30) {
    this.queue = new Queue<ScoringJobData>(name, redisUrl, {
      settings: { lockDuration: lockSeconds * 1000, stalledInterval: Math.max(1, lockSeconds / 2) * 1000 },
      defaultJobOptions: {
        attempts: SCORING_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      },
    });
  }

  async enqueue(submissionId: string): Promise<void> {
    await this.queue.add({ submissionId }, { jobId: submissionId });
  }

  async requeue(submissionId: string): Promise<void> {
    // A finished job keeps its id in bull; it must go before the same id can be queued again.
    await (await this.queue.getJob(submissionId))?.remove();
    await this.enqueue(submissionId);
  }

  async isPending(submissionId: string): Promise<boolean> {
    const job = await this.queue.getJob(submissionId);
    return job ? PENDING_STATES.has(await job.getState()) : false;
  }

  consume(
    concurrency: number,
    handler: ScoringHandler,
    onGaveUp: GaveUpHandler,
    onAttemptFailed?: AttemptFailed,
  ): void {
    void this.queue.process(concurrency, async (job) => ({ outcome: await handler(job.data.submissionId) }));
    this.queue.on('failed', (job, error) => {
      onAttemptFailed?.(job.data.submissionId, job.attemptsMade, error);
      if (job.attemptsMade >= (job.opts.attempts ?? SCORING_ATTEMPTS)) {
        onGaveUp(job.data.submissionId, job.attemptsMade, error);
      }
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
