import knexFactory, { type Knex } from 'knex';

export type { Knex };

export interface DatabaseOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolMax: number;
}

const DATABASE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * One knex instance per subgraph database. Connections run in UTC so DATETIME columns and JS Dates
 * agree, and with strict SQL mode so bad data fails loudly instead of being truncated.
 */
export function createKnex(options: DatabaseOptions): Knex {
  assertDatabaseName(options.database);
  return knexFactory({
    client: 'mysql2',
    connection: {
      host: options.host,
      port: options.port,
      user: options.user,
      password: options.password,
      database: options.database,
      timezone: 'Z',
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
      typeCast: castTinyIntOneToBoolean,
    },
    pool: {
      min: 0,
      max: options.poolMax,
      afterCreate(conn: RawConnection, done: (err: Error | null, conn: RawConnection) => void) {
        conn.query("SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE'", (err) => done(err, conn));
      },
    },
  });
}

interface CastField {
  type: string;
  length: number;
  string(): string | null;
}

/** knex's `boolean()` is TINYINT(1) in MariaDB; read it back as a JS boolean, not 0/1. */
function castTinyIntOneToBoolean(field: CastField, next: () => unknown): unknown {
  if (field.type === 'TINY' && field.length === 1) {
    const value = field.string();
    return value === null ? null : value === '1';
  }
  return next();
}

interface RawConnection {
  query(sql: string, cb: (err: Error | null) => void): void;
}

/** Creates the subgraph's database if it does not exist (used by migrations and tests). */
export async function ensureDatabase(options: DatabaseOptions): Promise<void> {
  await runServerDdl(
    options,
    `CREATE DATABASE IF NOT EXISTS \`${options.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
}

/** Drops a database; only tests call this, on databases they created. */
export async function dropDatabase(options: DatabaseOptions): Promise<void> {
  await runServerDdl(options, `DROP DATABASE IF EXISTS \`${options.database}\``);
}

/** Runs one statement about the database itself, on a connection that selects no database. */
async function runServerDdl(options: DatabaseOptions, sql: string): Promise<void> {
  assertDatabaseName(options.database);
  const server = knexFactory({
    client: 'mysql2',
    connection: { host: options.host, port: options.port, user: options.user, password: options.password },
    pool: { min: 0, max: 1 },
  });
  try {
    await server.raw(sql);
  } finally {
    await server.destroy();
  }
}

function assertDatabaseName(name: string): void {
  // The name is interpolated into DDL, so it must be a plain identifier.
  if (!DATABASE_NAME.test(name)) throw new Error(`Invalid database name ${JSON.stringify(name)}`);
}
