import type { Logger } from '../logger';
import { createKnex, type DatabaseOptions, ensureDatabase, type Knex } from './knex-factory';
import { type Migration, migrateLatest } from './migrations';

/**
 * Opens a subgraph's database. With `migrate`, the database is created if absent and brought to the
 * latest migration first (development and CI); production runs the one-shot migrate job instead.
 */
export async function openDatabase(
  options: DatabaseOptions,
  migrations: readonly Migration[],
  logger: Logger,
  migrate: boolean,
): Promise<Knex> {
  if (migrate) await ensureDatabase(options);
  const knex = createKnex(options);
  if (migrate) {
    const applied = await migrateLatest(knex, migrations);
    if (applied.length > 0) logger.info({ database: options.database, applied }, 'migrations applied');
  }
  return knex;
}

export async function pingDatabase(knex: Knex): Promise<'ok' | string> {
  try {
    await knex.raw('SELECT 1');
    return 'ok';
  } catch (error) {
    return `unreachable: ${(error as Error).message}`;
  }
}
