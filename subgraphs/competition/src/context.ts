import {
  baseContext,
  loaderByIds,
  type BaseSubgraphContext,
  type Logger,
  type RequestContextClaims,
  type SetResponseHeader,
} from '@medforge/shared-schema';
import type DataLoader from 'dataloader';

import type { CompetitionRow } from './db/models/competition.model';
import type { DatasetRow } from './db/models/dataset.model';
import type { Catalog } from './services/catalog';
import type { DatasetFiles } from './services/dataset-files';
import type { Leaderboard } from './services/leaderboard';
import type { SubmissionIntake } from './services/submission-intake';
import type { SubmissionQueries } from './services/submission-queries';
import type { SubmissionRescore } from './services/submission-rescore';

export interface CompetitionServices {
  catalog: Catalog;
  datasetFiles: DatasetFiles;
  leaderboard: Leaderboard;
  submissions: SubmissionQueries;
  intake: SubmissionIntake;
  rescore: SubmissionRescore;
  /** Closes the scoring queue's Redis connections. */
  close(): Promise<void>;
}

export interface CompetitionContext extends BaseSubgraphContext {
  services: CompetitionServices;
  datasetLoader: DataLoader<string, DatasetRow | null>;
  competitionLoader: DataLoader<string, CompetitionRow | null>;
}

export function buildCompetitionContext(
  claims: RequestContextClaims,
  logger: Logger,
  setResponseHeader: SetResponseHeader,
  services: CompetitionServices,
): CompetitionContext {
  return {
    ...baseContext(claims, logger, setResponseHeader),
    services,
    datasetLoader: loaderByIds((ids) => services.catalog.datasetsByIds(ids)),
    competitionLoader: loaderByIds((ids) => services.catalog.competitionsByIds(ids)),
  };
}
