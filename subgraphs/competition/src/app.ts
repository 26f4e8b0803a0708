import { FailureBudget, launchSubgraph, type SubgraphApp } from '@medforge/shared-schema';

import type { ArtifactStore } from './ports/artifact-store';
import { DirectoryArtifactStore } from './adapters/directory-artifact-store';
import { BullScoringQueue } from './adapters/bull-scoring-queue';
import type { ScoringQueue } from './ports/scoring-queue';
import type { SubmissionChecker } from './ports/submission-checker';
import { ThreadedSubmissionChecker } from './adapters/threaded-submission-checker';
import type { CompetitionConfig } from './config';
import { buildCompetitionContext, type CompetitionServices } from './context';
import { competitionMigrations } from './db/migrations';
import { seedCatalog } from './db/seed/catalog';
import { datasetDownloadRoutes } from './http/dataset-download-routes';
import { buildCompetitionSchema } from './schema/build-schema';
import { Catalog } from './services/catalog';
import { DatasetFiles } from './services/dataset-files';
import { InlineSubmissionChecker } from './services/inline-submission-checker';
import { Leaderboard } from './services/leaderboard';
import { SubmissionEvents } from './services/submission-events';
import { SubmissionIntake } from './services/submission-intake';
import { SubmissionQueries } from './services/submission-queries';
import { SubmissionRescore } from './services/submission-rescore';

export type CompetitionApp = SubgraphApp<CompetitionServices>;

/** What the subgraph talks to besides its database and Redis events; the real ones unless passed. */
export interface CompetitionAdapters {
  queue: ScoringQueue;
  artifacts: ArtifactStore;
  checker: SubmissionChecker;
}

/** The competition composition root; a test passes its own adapters for any of them. */
export function startCompetition(
  config: Readonly<CompetitionConfig>,
  adapters: Partial<CompetitionAdapters> = {},
): Promise<CompetitionApp> {
  return launchSubgraph({
    name: 'competition',
    config,
    port: config.COMPETITION_PORT,
    databaseName: config.COMPETITION_DB_NAME,
    migrations: competitionMigrations,
    buildSchema: buildCompetitionSchema,
    redisUrl: config.REDIS_URL,
    createServices: async (knex, logger, redis) => {
      // The permanent catalog is part of the code: every start brings it up to date.
      await seedCatalog(knex, logger);
      const queue = adapters.queue ?? new BullScoringQueue(config.SCORING_QUEUE_NAME, config.REDIS_URL);
      const events = new SubmissionEvents(redis!, logger);
      const artifacts = adapters.artifacts ?? new DirectoryArtifactStore(config.SUBMISSIONS_DIR);
      const roots = { training: config.TRAINING_DATA_ROOT, publicEval: config.PUBLIC_EVAL_DATA_ROOT };
      const datasetFiles = new DatasetFiles(roots, logger);
      const checker =
        adapters.checker ??
        (config.SUBMISSION_CHECK_THREADS > 0
          ? new ThreadedSubmissionChecker(config.SUBMISSION_CHECK_THREADS, { roots, logLevel: config.LOG_LEVEL })
          : new InlineSubmissionChecker(datasetFiles));
      const refusals = FailureBudget.inRedis(redis!, 'mf:intake:refused', {
        failures: config.SUBMISSION_REFUSALS_PER_WINDOW,
        windowSeconds: config.SUBMISSION_REFUSAL_WINDOW_SECONDS,
      });
      return {
        catalog: new Catalog(knex),
        datasetFiles,
        leaderboard: new Leaderboard(knex),
        submissions: new SubmissionQueries(knex),
        intake: new SubmissionIntake(knex, { artifacts, queue, events, checker, refusals }, logger),
        rescore: new SubmissionRescore(knex, queue, events),
        close: async () => {
          await Promise.all([queue.close(), checker.close()]);
        },
      };
    },
    httpRoutes: (services, logger) => datasetDownloadRoutes(services.datasetFiles, logger),
    stopServices: (services) => services.close(),
    buildContext: buildCompetitionContext,
  });
}
