import type { Migration } from '@medforge/shared-schema';

import { initial } from './0001_initial';
import { submissionQuotas } from './0002_submission_quotas';
import { leaderboardBests } from './0003_leaderboard_bests';
import { datasetDescriptions } from './0004_dataset_descriptions';

/** Applied in this order; append, never edit a released migration. */
export const competitionMigrations: readonly Migration[] = [
  initial,
  submissionQuotas,
  leaderboardBests,
  datasetDescriptions,
];
