import type { Router } from 'express';
import type { GraphQLSchema } from 'graphql';

import { databaseOptionsFrom } from '../config';
import type { RequestContextClaims, SetResponseHeader } from '../context';
import { type Knex, type Migration, openDatabase, pingDatabase } from '../db';
import { createLogger, type Logger } from '../logger';
import { createRedis, type Redis } from '../redis';
import type { SubgraphName } from '../supergraph';
import { type RunningSubgraph, startSubgraphServer } from './subgraph-server';

/** The config keys every subgraph has (see `subgraphBase`). */
export interface SubgraphBaseConfig {
  LOG_LEVEL: string;
  HOST: string;
  DB_HOST: string;
  DB_PORT: number;
  DB_USER: string;
  DB_PASSWORD: string;
  DB_POOL_MAX: number;
  DB_MIGRATE_ON_START: boolean;
  CONTEXT_SIGNING_SECRET: string;
  CONTEXT_MAX_AGE_MS: number;
}

export interface SubgraphLaunchOptions<TServices, TContext extends object> {
  name: SubgraphName;
  config: Readonly<SubgraphBaseConfig>;
  port: number;
  databaseName: string;
  migrations: readonly Migration[];
  /** When set, a Redis connection is opened for the services and closed with the subgraph. */
  redisUrl?: string;
  buildSchema(): Promise<GraphQLSchema>;
  /** Creates the services once the database is open; may do start-up work (seeding, inventory sync). */
  createServices(knex: Knex, logger: Logger, redis: Redis | null): Promise<TServices>;
  /** Health checks beyond the database (e.g. the session recovery loop), by name. */
  extraHealth?(services: TServices): Record<string, 'ok' | string>;
  /** Plain HTTP routes of the subgraph (served under /http, signed context required). */
  httpRoutes?(services: TServices, logger: Logger): Router;
  /** Stops background work of the services before the server and database close. */
  stopServices?(services: TServices): Promise<void>;
  buildContext(
    claims: RequestContextClaims,
    logger: Logger,
    setResponseHeader: SetResponseHeader,
    services: TServices,
  ): TContext;
}

export interface SubgraphApp<TServices> {
  url: string;
  knex: Knex;
  logger: Logger;
  services: TServices;
  stop(): Promise<void>;
}

/**
 * The start-up every subgraph shares: logger, database (created and migrated when configured),
 * services, then the HTTP server with a database-backed /healthz. Anything opened is closed again
 * if a later step fails.
 */
export async function launchSubgraph<TServices, TContext extends object>(
  options: SubgraphLaunchOptions<TServices, TContext>,
): Promise<SubgraphApp<TServices>> {
  const { config } = options;
  const logger = createLogger(options.name, config.LOG_LEVEL);
  const redis = options.redisUrl ? createRedis(options.redisUrl, `medforge-${options.name}`) : null;
  let knex: Knex | undefined;
  let services: TServices;
  let server: RunningSubgraph;
  try {
    knex = await openDatabase(
      databaseOptionsFrom(config, options.databaseName),
      options.migrations,
      logger,
      config.DB_MIGRATE_ON_START,
    );
    services = await options.createServices(knex, logger, redis);
    server = await startSubgraphServer({
      name: options.name,
      schema: await options.buildSchema(),
      host: config.HOST,
      port: options.port,
      logger,
      signingSecret: config.CONTEXT_SIGNING_SECRET,
      contextMaxAgeMs: config.CONTEXT_MAX_AGE_MS,
      ...(options.httpRoutes ? { httpRoutes: options.httpRoutes(services, logger) } : {}),
      buildContext: (claims, requestLogger, setResponseHeader) =>
        options.buildContext(claims, requestLogger, setResponseHeader, services),
      health: async () => {
        const checks = { database: await pingDatabase(knex!), ...options.extraHealth?.(services) };
        return { status: Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'degraded', checks };
      },
    });
  } catch (error) {
    await knex?.destroy();
    redis?.disconnect();
    throw error;
  }
  const database = knex;
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    knex: database,
    logger,
    services,
    // Idempotent: a supervisor (or a test) may stop a subgraph that something else already stopped.
    stop() {
      stopping ??= (async () => {
        await options.stopServices?.(services);
        await server.close();
        await database.destroy();
        redis?.disconnect();
      })();
      return stopping;
    },
  };
}
