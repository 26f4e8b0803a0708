import { competitionMigrations } from '@medforge/competition';
import { identityMigrations } from '@medforge/identity';
import { sessionMigrations } from '@medforge/session-runtime';
import { createKnex, databaseOptionsFrom, type Knex, type Migration } from '@medforge/shared-schema';

import type { CliConfig } from './config';

export interface OwnedDatabase {
  owner: 'identity' | 'session-runtime' | 'competition';
  name: string;
  migrations: readonly Migration[];
}

/** Each subgraph's own database, in the order migrations run. */
export function ownedDatabases(config: CliConfig): OwnedDatabase[] {
  return [
    { owner: 'identity', name: config.IDENTITY_DB_NAME, migrations: identityMigrations },
    { owner: 'session-runtime', name: config.SESSION_DB_NAME, migrations: sessionMigrations },
    { owner: 'competition', name: config.COMPETITION_DB_NAME, migrations: competitionMigrations },
  ];
}

/** Opens one database for the length of `work`, and always closes it. */
export async function withDatabase<T>(config: CliConfig, name: string, work: (knex: Knex) => Promise<T>): Promise<T> {
  const knex = createKnex({ ...databaseOptionsFrom(config, name), poolMax: 2 });
  try {
    return await work(knex);
  } finally {
    await knex.destroy();
  }
}
