import { launchSubgraph, ServiceClient, type SubgraphApp } from '@medforge/shared-schema';
import Docker from 'dockerode';

import { DockerRuntime } from './adapters/docker-runtime';
import { createGpuInventory } from './adapters/gpu-inventory-factory';
import { IdentitySshKeys } from './adapters/identity-keys';
import { createWorkspaceStore } from './adapters/workspace-store-factory';
import type { SessionRuntimeConfig } from './config';
import { buildSessionRuntimeContext, type SessionRuntimeServices } from './context';
import { sessionMigrations } from './db/migrations';
import { buildSessionRuntimeSchema } from './schema/build-schema';
import { GpuRegistry } from './services/gpu-registry';
import { PackCatalog } from './services/pack-catalog';
import { SessionAllocator } from './services/session-allocator';
import { SessionEvents } from './services/session-events';
import { SessionLifecycle } from './services/session-lifecycle';
import { SessionRecovery } from './services/session-recovery';
import { SessionQueries } from './services/session-queries';
import { SessionRoutes } from './services/session-routes';

export type SessionRuntimeApp = SubgraphApp<SessionRuntimeServices>;

const GIB = 1024 ** 3;

export function startSessionRuntime(config: Readonly<SessionRuntimeConfig>): Promise<SessionRuntimeApp> {
  return launchSubgraph({
    name: 'session-runtime',
    config,
    port: config.SESSION_RUNTIME_PORT,
    databaseName: config.SESSION_DB_NAME,
    migrations: sessionMigrations,
    buildSchema: buildSessionRuntimeSchema,
    redisUrl: config.REDIS_URL,
    createServices: async (knex, logger, redis) => {
      const gpus = new GpuRegistry(knex);
      await gpus.syncFrom(createGpuInventory(config.MEDFORGE_GPUS), logger);
      const packs = new PackCatalog(knex);
      if (config.MEDFORGE_DEFAULT_PACK_IMAGE) await packs.ensureDefault(config.MEDFORGE_DEFAULT_PACK_IMAGE, logger);
      const runtime = new DockerRuntime(
        new Docker(),
        {
          external: { name: config.SESSION_NETWORK_EXTERNAL, subnet: config.SESSION_NETWORK_EXTERNAL_SUBNET },
          internal: { name: config.SESSION_NETWORK_INTERNAL, subnet: config.SESSION_NETWORK_INTERNAL_SUBNET },
        },
        config.MEDFORGE_INSTANCE,
      );
      await runtime.ensureNetworks();
      const workspaces = createWorkspaceStore(config);
      const allocator = new SessionAllocator(knex, workspaces, {
        maxActivePerUser: config.SESSIONS_MAX_ACTIVE_PER_USER,
        sshPortMin: config.SSH_PORT_MIN,
        sshPortMax: config.SSH_PORT_MAX,
      });
      const lifecycle = new SessionLifecycle(
        knex,
        allocator,
        workspaces,
        runtime,
        new IdentitySshKeys(
          new ServiceClient('session-runtime', 'identity', config.IDENTITY_URL, config.CONTEXT_SIGNING_SECRET, 5_000),
        ),
        new SessionEvents(redis!, logger),
        {
          workspaceQuotaBytes: config.WORKSPACE_QUOTA_GIB > 0 ? config.WORKSPACE_QUOTA_GIB * GIB : null,
          readinessTimeoutMs: config.SESSION_READINESS_TIMEOUT_MS,
          stopGraceSeconds: config.SESSION_STOP_GRACE_SECONDS,
        },
        logger,
      );
      const recovery = new SessionRecovery(
        knex,
        runtime,
        lifecycle,
        {
          intervalMs: config.SESSION_POLL_INTERVAL_SECONDS * 1000,
          maxBackoffMs: config.SESSION_POLL_BACKOFF_MAX_SECONDS * 1000,
        },
        logger,
      );
      // Boot reconciliation runs before the subgraph answers anything.
      await recovery.start();
      const routes = new SessionRoutes(knex, config.SESSION_UPSTREAM_ADDRESSING);
      return { gpus, packs, sessions: new SessionQueries(knex), routes, lifecycle, recovery };
    },
    extraHealth: (services) => ({ recovery: services.recovery.health() }),
    stopServices: async (services) => {
      await services.recovery.stop();
      await services.lifecycle.settle();
    },
    buildContext: buildSessionRuntimeContext,
  });
}
