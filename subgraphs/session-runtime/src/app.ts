import { totalmem } from 'node:os';

import { launchSubgraph, SESSION_DATA_MOUNTS, type SubgraphApp } from '@medforge/shared-schema';

import { createSessionRuntimeAdapters, type SessionRuntimeAdapters } from './adapters/adapters-factory';
import { WebhookNotifications } from './adapters/webhook-notifications';
import { type SessionRuntimeConfig, deadlinePolicyOf } from './config';
import { buildSessionRuntimeContext, type SessionRuntimeServices } from './context';
import { sessionMigrations } from './db/migrations';
import { buildSessionRuntimeSchema } from './schema/build-schema';
import { GpuRegistry } from './services/gpu-registry';
import { GpuTelemetry } from './services/gpu-telemetry';
import { GpuTelemetryEvents } from './services/gpu-telemetry-events';
import { establishInstallation } from './services/installation-identity';
import { HomeRestores } from './services/home-restores';
import { MemoryLimitNotices } from './services/memory-limit-notices';
import { NotificationSettings } from './services/notification-settings';
import { LimitSettings } from './services/limit-settings';
import { GpuBudgets } from './services/gpu-budgets';
import { GpuReservations } from './services/gpu-reservations';
import { PackCatalog } from './services/pack-catalog';
import { QueueStartNotices } from './services/queue-start-notices';
import { SessionAllocator } from './services/session-allocator';
import { SessionEvents } from './services/session-events';
import { SessionKeys } from './services/session-keys';
import { SessionKeepAlive } from './services/session-keepalive';
import { SessionQueue } from './services/session-queue';
import { SessionReaper } from './services/session-reaper';
import { assembleSessionLifecycle } from './services/session-core';
import { SessionRecovery } from './services/session-recovery';
import { SessionQueries } from './services/session-queries';
import { SessionRoutes } from './services/session-routes';
import { defaultMemoryMib } from './services/session-limits';
import { StopWarnings } from './services/stop-warnings';
import { UsageReport } from './services/usage-report';
import { WorkspaceSnapshots } from './services/workspace-snapshots';

export type SessionRuntimeApp = SubgraphApp<SessionRuntimeServices>;

const GIB = 1024 ** 3;
const HOUR = 3_600_000;
const TELEMETRY_HISTORY = 60;

/**
 * The session-runtime composition root. Adapters default to the real ones the config names; a test (or
 * another host) passes its own for any of them.
 */
export function startSessionRuntime(
  config: Readonly<SessionRuntimeConfig>,
  adapters: Partial<SessionRuntimeAdapters> = {},
): Promise<SessionRuntimeApp> {
  return launchSubgraph({
    name: 'session-runtime',
    config,
    port: config.SESSION_RUNTIME_PORT,
    databaseName: config.SESSION_DB_NAME,
    migrations: sessionMigrations,
    buildSchema: buildSessionRuntimeSchema,
    redisUrl: config.REDIS_URL,
    createServices: async (knex, logger, redis) => {
      const {
        containers,
        workspaces,
        gpus: inventory,
        telemetry: telemetrySource,
        sshKeys,
        sessionTokens,
        owners,
      } = createSessionRuntimeAdapters(config, adapters);
      // Before anything touches the engine: who this installation is, and that its instance name is its own.
      const installationId = await establishInstallation(knex, containers, config.MEDFORGE_INSTANCE, logger);
      const gpus = new GpuRegistry(knex);
      await gpus.syncFrom(inventory, logger);
      const packs = new PackCatalog(knex);
      if (config.MEDFORGE_DEFAULT_PACK_IMAGE) await packs.ensureDefault(config.MEDFORGE_DEFAULT_PACK_IMAGE, logger);
      await containers.ensureNetworks();
      const ports = { sshPortMin: config.SSH_PORT_MIN, sshPortMax: config.SSH_PORT_MAX };
      const usage = new UsageReport(knex);
      const budgets = new GpuBudgets(usage, config.SESSION_WEEKLY_GPU_HOURS);
      const reservations = new GpuReservations(
        knex,
        { maxHours: config.RESERVATION_MAX_HOURS, noticeMs: config.RESERVATION_NOTICE_MINUTES * 60_000 },
        logger,
      );
      const allocator = new SessionAllocator(
        knex,
        workspaces,
        {
          maxActivePerUser: config.SESSIONS_MAX_ACTIVE_PER_USER,
          maxQueuedPerUser: config.SESSIONS_MAX_QUEUED_PER_USER,
          ...ports,
        },
        { budgets, reservations },
      );
      const queue = new SessionQueue(
        knex,
        {
          maxActivePerUser: config.SESSIONS_MAX_ACTIVE_PER_USER,
          fairnessWindowMs: config.SESSION_QUEUE_FAIRNESS_DAYS * 24 * HOUR,
          defaultSessionMs: config.SESSION_QUEUE_DEFAULT_SESSION_MINUTES * 60_000,
          deadlines: deadlinePolicyOf(config),
          ...ports,
        },
        reservations,
      );
      const workspaceQuotaBytes = config.WORKSPACE_QUOTA_GIB > 0 ? config.WORKSPACE_QUOTA_GIB * GIB : null;
      const snapshots = new WorkspaceSnapshots(
        knex,
        workspaces,
        { keepLast: config.SNAPSHOT_KEEP_LAST, keepDailyDays: config.SNAPSHOT_KEEP_DAILY_DAYS },
        logger,
      );
      const retention = (userId: string) => snapshots.applyRetention(userId);
      const restores = new HomeRestores(knex, workspaces, { workspaceQuotaBytes }, logger, async (userId) => {
        await retention(userId);
      });
      const events = new SessionEvents(redis!, logger);
      const sessionMemory = defaultMemoryMib(
        config.SESSION_DEFAULT_MEMORY_GIB,
        { memoryBytes: totalmem(), gpus: (await gpus.list()).filter((gpu) => gpu.present).length },
        config.SESSION_MEMORY_RESERVE_GIB,
      );
      logger.info(
        { memory_mib: sessionMemory, setting: config.SESSION_DEFAULT_MEMORY_GIB },
        sessionMemory === null ? 'sessions have no default memory limit' : 'default session memory limit',
      );
      const limits = new LimitSettings(
        knex,
        {
          cpus: config.SESSION_DEFAULT_CPUS > 0 ? config.SESSION_DEFAULT_CPUS : null,
          memoryMib: sessionMemory,
          pids: config.SESSION_DEFAULT_PIDS,
          shmMib: config.SESSION_DEFAULT_SHM_MIB,
        },
        logger,
      );
      const notificationSettings = new NotificationSettings(knex, config.MEDFORGE_ENV === 'production', logger);
      const webhook = new WebhookNotifications(() => notificationSettings.webhookUrl(), logger);
      const queueNotices = new QueueStartNotices(webhook, owners, config.MEDFORGE_INSTANCE);
      const lifecycle = assembleSessionLifecycle({
        knex,
        allocator,
        queue,
        workspaces,
        runtime: containers,
        keys: sshKeys,
        tokens: sessionTokens,
        events,
        limits,
        settings: {
          installationId,
          scratchMib: config.SESSION_SCRATCH_MIB,
          internalPackageIndex: config.SESSION_PACKAGE_INDEX_URL ?? null,
          workspaceQuotaBytes,
          dataMounts: [
            { hostPath: config.TRAINING_DATA_ROOT, containerPath: SESSION_DATA_MOUNTS.training },
            { hostPath: config.PUBLIC_EVAL_DATA_ROOT, containerPath: SESSION_DATA_MOUNTS.publicEval },
          ],
          readinessTimeoutMs: config.SESSION_READINESS_TIMEOUT_MS,
          stopGraceSeconds: config.SESSION_STOP_GRACE_SECONDS,
          publicUrl: config.MEDFORGE_PUBLIC_URL,
        },
        logger,
        afterStop: retention,
        startedFromQueue: (row) => queueNotices.started(row),
      });
      const recovery = new SessionRecovery(
        knex,
        containers,
        lifecycle,
        {
          intervalMs: config.SESSION_POLL_INTERVAL_SECONDS * 1000,
          maxBackoffMs: config.SESSION_POLL_BACKOFF_MAX_SECONDS * 1000,
          installationId,
        },
        logger,
      );
      // Boot reconciliation runs before the subgraph answers anything.
      await recovery.start();
      await restores.resumeUnfinished();
      // Five minutes of readings at the default interval, enough for a card's sparkline and the busy
      // window; each round is announced for the gpuTelemetryUpdated subscription.
      const telemetryEvents = new GpuTelemetryEvents(redis!, gpus, logger);
      const telemetry = new GpuTelemetry(
        telemetrySource,
        config.GPU_TELEMETRY_INTERVAL_SECONDS * 1000,
        TELEMETRY_HISTORY,
        logger,
        (samples) => telemetryEvents.readingsTaken(samples),
      );
      telemetry.start();
      const warnings = new StopWarnings(knex, containers, events, webhook, owners, config.MEDFORGE_INSTANCE, logger);
      const deadlinePolicy = deadlinePolicyOf(config);
      const reaper = new SessionReaper(
        knex,
        containers,
        lifecycle,
        warnings,
        telemetry,
        deadlinePolicy,
        {
          cpuPercent: config.SESSION_BUSY_CPU_PERCENT,
          gpuPercent: config.SESSION_BUSY_GPU_PERCENT,
          windowMs: config.SESSION_BUSY_WINDOW_SECONDS * 1000,
        },
        config.SESSION_ACTIVITY_POLL_SECONDS * 1000,
        logger,
        reservations,
      );
      reaper.start();
      const memoryNotices = new MemoryLimitNotices(knex, containers, logger);
      memoryNotices.start();
      const keepAlive = new SessionKeepAlive(
        knex,
        warnings,
        {
          idleTimeoutMs: deadlinePolicy.idleTimeoutMs,
          maxKeepAliveMs: config.SESSION_KEEPALIVE_MAX_HOURS * HOUR,
          maxRuntimeMs: deadlinePolicy.maxRuntimeMs,
          runtimeCeilingMs:
            config.SESSION_RUNTIME_CEILING_HOURS > 0 ? config.SESSION_RUNTIME_CEILING_HOURS * HOUR : null,
        },
        logger,
      );
      const routes = new SessionRoutes(knex, config.SESSION_UPSTREAM_ADDRESSING);
      const sessions = new SessionQueries(knex);
      const keys = new SessionKeys(knex, containers, sshKeys, logger);
      const stopKeyUpdates = await keys.listen(redis!);
      return {
        gpus,
        packs,
        sessions,
        routes,
        allocator,
        queue,
        usage,
        budgets,
        reservations,
        lifecycle,
        recovery,
        snapshots,
        restores,
        keys,
        stopKeyUpdates,
        limits,
        reaper,
        telemetry,
        keepAlive,
        deadlinePolicy,
        notificationSettings,
        sshHost: new URL(config.MEDFORGE_PUBLIC_URL).hostname,
        memoryNotices,
      };
    },
    extraHealth: (services) => ({ recovery: services.recovery.health() }),
    stopServices: async (services) => {
      await services.stopKeyUpdates();
      services.memoryNotices.stop();
      await services.reaper.stop();
      await services.telemetry.stop();
      await services.recovery.stop();
      await services.lifecycle.settle();
      await services.restores.settle();
    },
    buildContext: buildSessionRuntimeContext,
  });
}
