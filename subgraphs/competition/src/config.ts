import { configFragments, loadConfig, subgraphBase, z } from '@medforge/shared-schema';

export const competitionConfigSchema = z.object({
  ...subgraphBase,
  COMPETITION_PORT: configFragments.port(4103),
  COMPETITION_DB_NAME: configFragments.databaseName('medforge_competition'),
});

export type CompetitionConfig = z.infer<typeof competitionConfigSchema>;

export function loadCompetitionConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CompetitionConfig> {
  return loadConfig(competitionConfigSchema, env);
}
