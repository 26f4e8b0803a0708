import { configFragments, loadConfig, z } from '@medforge/shared-schema';

import { submissionPipeline } from '../config';

export const scoringWorkerConfigSchema = z
  .object({
    ...configFragments.runtimeEnv,
    ...configFragments.competitionDataRoots,
    ...configFragments.database,
    ...submissionPipeline,
    COMPETITION_DB_NAME: configFragments.databaseName('medforge_competition'),
    /** Hidden labels with their manifest; verified at start. Only this process reads them. */
    TEST_HOLDOUTS_DIR: z.string().min(1),
    /** Files scored at once, each on its own worker thread (the event loop only coordinates). */
    SCORING_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    /** A job whose worker died is retried once its lock lapses (renewed every half of it while alive). */
    SCORING_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** How often rows whose job is missing from Redis are looked for. */
    SCORING_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** A row queued, or scoring, for longer than this without a live job is enqueued again. */
    SCORING_STALE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  })
  .superRefine(configFragments.disjointDataRoots);

export type ScoringWorkerConfig = z.infer<typeof scoringWorkerConfigSchema>;

export function loadScoringWorkerConfig(env: NodeJS.ProcessEnv = process.env): Readonly<ScoringWorkerConfig> {
  return loadConfig(scoringWorkerConfigSchema, env);
}
