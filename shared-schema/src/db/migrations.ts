import type { Knex } from 'knex';

/**
 * Migrations are plain TypeScript modules listed in order by each subgraph, so the same list runs from
 * ts-jest and from compiled JavaScript without knex scanning directories for file extensions.
 */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

class ListMigrationSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly migrations: readonly Migration[]) {}

  getMigrations(): Promise<Migration[]> {
    return Promise.resolve([...this.migrations]);
  }

  getMigrationName(migration: Migration): string {
    return migration.name;
  }

  getMigration(migration: Migration): Promise<Knex.Migration> {
    return Promise.resolve({ up: migration.up, down: migration.down });
  }
}

export async function migrateLatest(knex: Knex, migrations: readonly Migration[]): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({
    migrationSource: new ListMigrationSource(migrations),
  })) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(knex: Knex, migrations: readonly Migration[]): Promise<void> {
  await knex.migrate.rollback({ migrationSource: new ListMigrationSource(migrations) }, true);
}
