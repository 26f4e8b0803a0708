import type { DatabaseOptions } from '../db';
import { contextSigning, database, httpListen, runtimeEnv } from './fragments';

/** The config every subgraph shares; each adds its own port and database name variables. */
export const subgraphBase = { ...runtimeEnv, ...httpListen, ...database, ...contextSigning };

export function databaseOptionsFrom(
  config: { DB_HOST: string; DB_PORT: number; DB_USER: string; DB_PASSWORD: string; DB_POOL_MAX: number },
  databaseName: string,
): DatabaseOptions {
  return {
    host: config.DB_HOST,
    port: config.DB_PORT,
    user: config.DB_USER,
    password: config.DB_PASSWORD,
    database: databaseName,
    poolMax: config.DB_POOL_MAX,
  };
}
