import { configFragments, loadConfig, subgraphBase, z } from '@medforge/shared-schema';

/** What the subgraph and the scoring worker share: where files live and the queue between them. */
export const submissionPipeline = {
  ...configFragments.redis,
  /** Uploaded submission files (owner-only); never mounted into sessions. */
  SUBMISSIONS_DIR: z.string().min(1).default('/var/lib/medforge/submissions'),
  /** bull queue name; installations (and test stacks) sharing one Redis use different names. */
  SCORING_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ or -' })
    .default('medforge-scoring'),
};

export const competitionConfigSchema = z
  .object({
    ...subgraphBase,
    ...submissionPipeline,
    // The subgraph serves the training and public-eval roots; it knows the holdouts' place only to refuse
    // a configuration that would publish them.
    ...configFragments.competitionDataRoots,
    COMPETITION_PORT: configFragments.port(4103),
    COMPETITION_DB_NAME: configFragments.databaseName('medforge_competition'),
    /** Threads that read uploads off the event loop (0: read on it, as a small test setup may). */
    SUBMISSION_CHECK_THREADS: z.coerce.number().int().min(0).max(32).default(2),
    /** Refused uploads a user may make per window before further uploads wait (429, Retry-After). */
    SUBMISSION_REFUSALS_PER_WINDOW: z.coerce.number().int().min(1).max(10_000).default(10),
    SUBMISSION_REFUSAL_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  })
  .superRefine(configFragments.disjointDataRoots);

export type CompetitionConfig = z.infer<typeof competitionConfigSchema>;

export function loadCompetitionConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CompetitionConfig> {
  return loadConfig(competitionConfigSchema, env);
}
