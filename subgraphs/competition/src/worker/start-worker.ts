import { createLogger, createRedis, databaseOptionsFrom, openDatabase } from '@medforge/shared-schema';

import type { ArtifactStore } from '../ports/artifact-store';
import { DirectoryArtifactStore } from '../adapters/directory-artifact-store';
import { BullScoringQueue } from '../adapters/bull-scoring-queue';
import type { ScoringConsumer } from '../ports/scoring-queue';
import { competitionMigrations } from '../db/migrations';
import { SubmissionRow } from '../db/models/submission.model';
import { loadHoldouts } from '../holdouts/holdout-store';
import { SubmissionEvents } from '../services/submission-events';
import { ScoringJob } from './scoring-job';
import { ScoringThreads } from './scoring-threads';
import { requeueStaleScores } from './stale-scores';
import { ScoringSweeper } from './sweeper';
import type { ScoringWorkerConfig } from './worker-config';

export interface ScoringWorker {
  stop(): Promise<void>;
}

/** What the worker consumes and reads besides its database; the real ones unless a caller passes others. */
export interface ScoringWorkerAdapters {
  queue: ScoringConsumer;
  artifacts: ArtifactStore;
}

/**
 * The scoring worker process: verifies the holdouts (refusing to start on any mismatch), then consumes
 * the scoring queue with one scoring thread per concurrent job, and sweeps for rows Redis forgot.
 */
export async function startScoringWorker(
  config: Readonly<ScoringWorkerConfig>,
  adapters: Partial<ScoringWorkerAdapters> = {},
): Promise<ScoringWorker> {
  const logger = createLogger('scoring-worker', config.LOG_LEVEL);
  const holdouts = loadHoldouts(config.TEST_HOLDOUTS_DIR);
  logger.info(
    { holdouts: [...holdouts.values()].map((h) => ({ slug: h.slug, rows: h.ids.size, sha256: h.sha256 })) },
    'holdouts verified',
  );
  const knex = await openDatabase(
    databaseOptionsFrom(config, config.COMPETITION_DB_NAME),
    competitionMigrations,
    logger,
    config.DB_MIGRATE_ON_START,
  );
  const redis = createRedis(config.REDIS_URL, 'medforge-scoring-worker');
  const queue =
    adapters.queue ?? new BullScoringQueue(config.SCORING_QUEUE_NAME, config.REDIS_URL, config.SCORING_LOCK_SECONDS);
  const threads = await ScoringThreads.start(config.SCORING_CONCURRENCY, config.TEST_HOLDOUTS_DIR, logger);
  const events = new SubmissionEvents(redis, logger);
  const job = new ScoringJob(
    knex,
    adapters.artifacts ?? new DirectoryArtifactStore(config.SUBMISSIONS_DIR),
    threads,
    events,
  );

  queue.consume(
    config.SCORING_CONCURRENCY,
    (submissionId) => job.run(submissionId),
    (submissionId, attempts, error) => {
      // Out of attempts: the file may be fine, so say so; an administrator can rescore it.
      void SubmissionRow.query(knex)
        .findById(submissionId)
        .then(
          (row) =>
            row &&
            job.fail(
              row,
              `Scoring failed after ${attempts} attempts (${error.message}); an administrator can rescore it`,
            ),
        )
        .catch((failError: unknown) => logger.error({ err: failError }, 'could not mark submission failed'));
    },
    (submissionId, attempt, error) =>
      logger.warn({ err: error, submission_id: submissionId, attempt }, 'scoring attempt failed'),
  );
  await requeueStaleScores(knex, holdouts, queue, events, logger);
  const sweeper = new ScoringSweeper(knex, queue, config.SCORING_STALE_SECONDS, logger);
  sweeper.start(config.SCORING_SWEEP_INTERVAL_SECONDS);
  logger.info({ queue: config.SCORING_QUEUE_NAME, concurrency: config.SCORING_CONCURRENCY }, 'scoring worker ready');

  return {
    async stop() {
      sweeper.stop();
      await queue.close();
      await threads.close();
      redis.disconnect();
      await knex.destroy();
    },
  };
}
