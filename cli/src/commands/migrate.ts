import { ensureDatabase, databaseOptionsFrom, migrateLatest } from '@medforge/shared-schema';

import type { CliConfig } from '../config';
import { ownedDatabases, withDatabase } from '../databases';
import type { Output } from '../output';

/** `medforge migrate`: creates each subgraph's database if absent and applies its pending migrations. */
export async function migrate(config: CliConfig, out: Output): Promise<void> {
  for (const database of ownedDatabases(config)) {
    await ensureDatabase(databaseOptionsFrom(config, database.name));
    const applied = await withDatabase(config, database.name, (knex) => migrateLatest(knex, database.migrations));
    out.line(
      `${database.owner} (${database.name}): ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`,
    );
  }
}
