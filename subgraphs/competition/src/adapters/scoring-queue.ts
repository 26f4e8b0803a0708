import Queue from 'bull';

export interface ScoringJobData {
  submissionId: string;
}

/** How many times bull runs a job that crashed or threw before the worker gives up on it. */
export const SCORING_ATTEMPTS = 3;

/**
 * The bull queue between the competition subgraph (producer) and the scoring worker (consumer). The
 * job id is the submission id, so enqueuing twice is a no-op and the database stays the source of truth.
 */
export function createScoringQueue(name: string, redisUrl: string, lockSeconds = 30): Queue.Queue<ScoringJobData> {
  return new Queue<ScoringJobData>(name, redisUrl, {
    // A job whose worker stopped renewing its lock (crashed) goes back to waiting after this long.
    settings: { lockDuration: lockSeconds * 1000, stalledInterval: Math.max(1, lockSeconds / 2) * 1000 },
    defaultJobOptions: {
      attempts: SCORING_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: 1_000,
      removeOnFail: 1_000,
    },
  });
}

export async function enqueueScoring(queue: Queue.Queue<ScoringJobData>, submissionId: string): Promise<void> {
  await queue.add({ submissionId }, { jobId: submissionId });
}
