import type { Clock, Knex, Logger } from '@medforge/shared-schema';
import { RecordingPublisher } from '@medforge/shared-schema/testing';

import type { SessionRow } from '../../src/db/models/session.model';
import { GpuBudgets } from '../../src/services/gpu-budgets';
import { GpuReservations } from '../../src/services/gpu-reservations';
import { HomeRestores } from '../../src/services/home-restores';
import { LimitSettings } from '../../src/services/limit-settings';
import { SessionAllocator } from '../../src/services/session-allocator';
import { assembleSessionLifecycle } from '../../src/services/session-core';
import { SessionEvents } from '../../src/services/session-events';
import { SessionQueue } from '../../src/services/session-queue';
import { SessionRecovery } from '../../src/services/session-recovery';
import type { RetentionPolicy } from '../../src/services/snapshot-retention';
import { UsageReport } from '../../src/services/usage-report';
import { WorkspaceSnapshots } from '../../src/services/workspace-snapshots';
import { InMemoryContainerRuntime } from '../fakes/in-memory-container-runtime';
import { InMemorySessionTokens } from '../fakes/in-memory-session-tokens';
import { InMemoryWorkspaceStore } from '../fakes/in-memory-workspace-store';

export interface LifecycleHarnessOptions {
  installationId: string;
  readinessTimeoutMs?: number;
  retention?: RetentionPolicy;
  maxActivePerUser?: number;
  maxQueuedPerUser?: number;
  /** After a session that waited in the queue is RUNNING. */
  startedFromQueue?: (row: SessionRow) => Promise<void>;
  /** A weekly GPU budget per user, measured on `clock` (none: no budget). */
  weeklyGpuHours?: number;
  /** How long before a window opens a booked GPU is held back (default 30 minutes). */
  reservationNoticeMs?: number;
  clock?: Clock;
}

export const DEFAULT_LIMITS = { cpus: null, memoryMib: null, pids: 4096, shmMib: 4096 };

/**
 * The session core as session-runtime wires it, on a real database with the container engine, the
 * workspace store and identity in memory: what the lifecycle and queue suites drive.
 */
export function lifecycleHarness(knex: Knex, logger: Logger, options: LifecycleHarnessOptions) {
  const { installationId, readinessTimeoutMs = 2_000, retention = { keepLast: 100, keepDailyDays: 0 } } = options;
  const runtime = new InMemoryContainerRuntime();
  const workspaces = new InMemoryWorkspaceStore();
  const publisher = new RecordingPublisher();
  const maxActivePerUser = options.maxActivePerUser ?? 4;
  const ports = { sshPortMin: 20000, sshPortMax: 20999 };
  const usage = new UsageReport(knex, options.clock);
  const reservations = new GpuReservations(
    knex,
    { maxHours: 168, noticeMs: options.reservationNoticeMs ?? 30 * 60_000 },
    logger,
    options.clock,
  );
  const allocator = new SessionAllocator(
    knex,
    workspaces,
    { maxActivePerUser, maxQueuedPerUser: options.maxQueuedPerUser ?? 2, ...ports },
    {
      reservations,
      ...(options.weeklyGpuHours ? { budgets: new GpuBudgets(usage, options.weeklyGpuHours, options.clock) } : {}),
    },
  );
  const queue = new SessionQueue(
    knex,
    {
      maxActivePerUser,
      fairnessWindowMs: 7 * 86_400_000,
      defaultSessionMs: 3_600_000,
      deadlines: { idleTimeoutMs: null, maxRuntimeMs: null, warningMs: 0 },
      ...ports,
    },
    reservations,
    options.clock,
  );
  const keys = { authorizedKeys: async () => ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake test@medforge'] };
  const snapshots = new WorkspaceSnapshots(knex, workspaces, retention, logger);
  const limits = new LimitSettings(knex, DEFAULT_LIMITS, logger);
  const restores = new HomeRestores(knex, workspaces, { workspaceQuotaBytes: null }, logger, async (userId) => {
    await snapshots.applyRetention(userId);
  });
  const tokens = new InMemorySessionTokens();
  const lifecycle = assembleSessionLifecycle({
    knex,
    allocator,
    queue,
    workspaces,
    runtime,
    keys,
    tokens,
    events: new SessionEvents(publisher, logger),
    limits,
    settings: {
      installationId,
      scratchMib: 512,
      internalPackageIndex: 'http://172.31.0.5:3141/root/pypi/+simple/',
      workspaceQuotaBytes: null,
      dataMounts: [],
      readinessTimeoutMs,
      stopGraceSeconds: 1,
      publicUrl: 'https://medforge.example.org',
    },
    logger,
    afterStop: (userId) => snapshots.applyRetention(userId),
    ...(options.startedFromQueue ? { startedFromQueue: options.startedFromQueue } : {}),
  });
  const recovery = new SessionRecovery(
    knex,
    runtime,
    lifecycle,
    { intervalMs: 60_000, maxBackoffMs: 60_000, installationId },
    logger,
  );
  return {
    runtime,
    workspaces,
    publisher,
    lifecycle,
    recovery,
    snapshots,
    restores,
    allocator,
    queue,
    limits,
    tokens,
    usage,
    reservations,
  };
}
