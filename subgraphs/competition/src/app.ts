import { launchSubgraph, type SubgraphApp } from '@medforge/shared-schema';

import type { CompetitionConfig } from './config';
import { buildCompetitionContext, type CompetitionServices } from './context';
import { competitionMigrations } from './db/migrations';
import { seedCatalog } from './db/seed/catalog';
import { buildCompetitionSchema } from './schema/build-schema';
import { Catalog } from './services/catalog';
import { Leaderboard } from './services/leaderboard';
import { SubmissionQueries } from './services/submission-queries';

export type CompetitionApp = SubgraphApp<CompetitionServices>;

export function startCompetition(config: Readonly<CompetitionConfig>): Promise<CompetitionApp> {
  return launchSubgraph({
    name: 'competition',
    config,
    port: config.COMPETITION_PORT,
    databaseName: config.COMPETITION_DB_NAME,
    migrations: competitionMigrations,
    buildSchema: buildCompetitionSchema,
    createServices: async (knex, logger) => {
      // The permanent catalog is part of the code: every start brings it up to date.
      await seedCatalog(knex, logger);
      return {
        catalog: new Catalog(knex),
        leaderboard: new Leaderboard(knex),
        submissions: new SubmissionQueries(knex),
      };
    },
    buildContext: buildCompetitionContext,
  });
}
