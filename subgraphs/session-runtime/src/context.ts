import {
  baseContext,
  loaderByIds,
  type BaseSubgraphContext,
  type Logger,
  type RequestContextClaims,
  type SetResponseHeader,
} from '@medforge/shared-schema';
import type DataLoader from 'dataloader';

import type { GpuDeviceRow } from './db/models/gpu-device.model';
import type { PackRow } from './db/models/pack.model';
import type { SessionRow } from './db/models/session.model';
import type { GpuRegistry } from './services/gpu-registry';
import type { GpuTelemetry } from './services/gpu-telemetry';
import type { HomeRestores } from './services/home-restores';
import type { LimitSettings } from './services/limit-settings';
import type { MemoryLimitNotices } from './services/memory-limit-notices';
import type { NotificationSettings } from './services/notification-settings';
import type { PackCatalog } from './services/pack-catalog';
import type { SessionAllocator } from './services/session-allocator';
import type { DeadlinePolicy } from './services/session-deadlines';
import type { SessionKeepAlive } from './services/session-keepalive';
import type { SessionLifecycle } from './services/session-lifecycle';
import type { SessionRecovery } from './services/session-recovery';
import type { GpuBudgets } from './services/gpu-budgets';
import type { GpuReservations } from './services/gpu-reservations';
import type { SessionQueries } from './services/session-queries';
import type { UsageReport } from './services/usage-report';
import type { QueuePlace, SessionQueue } from './services/session-queue';
import type { SessionKeys } from './services/session-keys';
import type { SessionReaper } from './services/session-reaper';
import type { SessionRoutes } from './services/session-routes';
import type { WorkspaceSnapshots } from './services/workspace-snapshots';

export interface SessionRuntimeServices {
  gpus: GpuRegistry;
  packs: PackCatalog;
  sessions: SessionQueries;
  routes: SessionRoutes;
  /** Step one of a start (the row, GPU, slug and port); the lifecycle uses it, and so do crash-point tests. */
  allocator: SessionAllocator;
  lifecycle: SessionLifecycle;
  /** Sessions waiting for a GPU: their places and estimated starts. */
  queue: SessionQueue;
  /** GPU and session hours per user and period. */
  usage: UsageReport;
  /** The weekly GPU budget each user has (if the installation sets one). */
  budgets: GpuBudgets;
  /** GPUs booked for users over windows. */
  reservations: GpuReservations;
  recovery: SessionRecovery;
  snapshots: WorkspaceSnapshots;
  restores: HomeRestores;
  /** SSH key changes into running sessions. */
  keys: SessionKeys;
  /** Stops following identity's SSH key announcements (shutdown). */
  stopKeyUpdates: () => Promise<void>;
  limits: LimitSettings;
  /** Idle and maximum-runtime stops. */
  reaper: SessionReaper;
  telemetry: GpuTelemetry;
  /** "Keep running": the owner's (or an admin's) way to keep a session from its idle stop. */
  keepAlive: SessionKeepAlive;
  /** When sessions are stopped (for the stop times each session shows). */
  deadlinePolicy: DeadlinePolicy;
  notificationSettings: NotificationSettings;
  /** Where users SSH to sessions: the host of the platform's public URL. */
  sshHost: string;
  /** Tells a session, where its user is, that a process of it hit the memory limit. */
  memoryNotices: MemoryLimitNotices;
}

export interface SessionRuntimeContext extends BaseSubgraphContext {
  services: SessionRuntimeServices;
  packLoader: DataLoader<string, PackRow | null>;
  gpuLoader: DataLoader<number, GpuDeviceRow | null>;
  /** GPU index → active session, read once per request. */
  gpuHolders: () => Promise<Map<number, SessionRow>>;
  /** Every waiting session's place, computed once per request. */
  queuePlaces: () => Promise<Map<string, QueuePlace>>;
}

export function buildSessionRuntimeContext(
  claims: RequestContextClaims,
  logger: Logger,
  setResponseHeader: SetResponseHeader,
  services: SessionRuntimeServices,
): SessionRuntimeContext {
  return {
    ...baseContext(claims, logger, setResponseHeader),
    services,
    packLoader: loaderByIds((ids) => services.packs.byIds(ids)),
    gpuLoader: loaderByIds((ids) => services.gpus.byIds(ids)),
    gpuHolders: memoize(() => services.gpus.holders()),
    queuePlaces: memoize(() => services.queue.places()),
  };
}

function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}
