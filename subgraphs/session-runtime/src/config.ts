import { configFragments, loadConfig, subgraphBase, z } from '@medforge/shared-schema';

import { parseGpuInventorySpec } from './adapters/gpu-inventory-spec';
import { PINNED_IMAGE } from './services/pack-catalog';
import type { DeadlinePolicy } from './services/session-deadlines';

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
/** Minutes, fractions allowed (0.5: 30 seconds, as tests use). */
const minutes = (fallback: number, min: number, max: number) => z.coerce.number().min(min).max(max).default(fallback);
const subnet = (fallback: string) =>
  z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { message: 'must be an IPv4 CIDR such as 172.30.0.0/24' })
    .default(fallback);

/** An IPv4 address, or Docker's `host-gateway` (the host, as seen from containers). */
const apiHost = /^(host-gateway|\d{1,3}(\.\d{1,3}){3})$/;
const API_HOST_MESSAGE = { message: 'must be an IPv4 address or host-gateway' };

export const sessionRuntimeConfigSchema = z
  .object({
    ...subgraphBase,
    /** Training and public-eval data are mounted read-only into every session (holdouts: never). */
    ...configFragments.competitionDataRoots,
    ...configFragments.redis,
    SESSION_RUNTIME_PORT: configFragments.port(4102),
    SESSION_DB_NAME: configFragments.databaseName('medforge_session'),
    /** Identity's GraphQL endpoint, for the session owner's SSH keys. */
    IDENTITY_URL: z.string().url().default('http://127.0.0.1:4101/graphql'),
    /** `nvidia-smi` to read real GPUs, or `virtual:N` for hosts without GPUs (development, CI). */
    MEDFORGE_GPUS: z
      .string()
      .default('virtual:7')
      .transform((value, ctx) => {
        try {
          return parseGpuInventorySpec(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** The default pack, pinned: `sha256:<64 hex>` (local image id) or `repository@sha256:<64 hex>`. */
    MEDFORGE_DEFAULT_PACK_IMAGE: z
      .string()
      .regex(PINNED_IMAGE, { message: 'must be pinned by digest (…@sha256:…)' })
      .optional(),
    /** Name of this installation, labelled on its containers; recovery manages only its own. */
    MEDFORGE_INSTANCE: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'must be 1-63 lowercase letters, digits, _ or -' })
      .default('medforge'),
    SESSIONS_MAX_ACTIVE_PER_USER: int(2, 1, 64),
    /** Sessions one user may have waiting for a GPU at once (docs/sessions.md#the-gpu-queue); 0: no queue. */
    SESSIONS_MAX_QUEUED_PER_USER: int(2, 0, 16),
    /** The queue serves whoever used fewer GPU-hours in this many past days first; ties by arrival. */
    SESSION_QUEUE_FAIRNESS_DAYS: int(7, 1, 90),
    /** A session's expected length for queue estimates while fewer than five sessions have ended. */
    SESSION_QUEUE_DEFAULT_SESSION_MINUTES: int(60, 1, 10_080),
    /** GPU hours each user may use per ISO week (UTC), checked when a session is started; 0: no budget. */
    SESSION_WEEKLY_GPU_HOURS: int(0, 0, 10_000),
    /** The longest window one GPU reservation may have (hours). */
    RESERVATION_MAX_HOURS: int(168, 1, 2_160),
    /** A booked GPU is held back from others this many minutes before its window opens. */
    RESERVATION_NOTICE_MINUTES: int(30, 0, 1_440),
    SSH_PORT_MIN: int(10000, 1024, 65535),
    SSH_PORT_MAX: int(10999, 1024, 65535),
    WORKSPACE_BACKEND: z.enum(['zfs', 'directory']).default('directory'),
    /** Parent dataset of the users' home datasets (`<root>/<user-id>/home`). */
    ZFS_WORKSPACE_ROOT: z.string().default('tank/medforge/workspaces'),
    WORKSPACE_DIRECTORY_ROOT: z.string().default('/var/lib/medforge/workspaces'),
    /** refquota of each user's home in GiB (0: none). */
    WORKSPACE_QUOTA_GIB: int(50, 0, 100_000),
    /** Snapshot retention per user: the newest N are kept… */
    SNAPSHOT_KEEP_LAST: int(10, 1, 10_000),
    /** …and the newest of each of the last D days (0: none beyond the last N). */
    SNAPSHOT_KEEP_DAILY_DAYS: int(14, 0, 3650),
    SESSION_NETWORK_EXTERNAL: z.string().default('medforge-external-sessions'),
    SESSION_NETWORK_EXTERNAL_SUBNET: subnet('172.30.0.0/24'),
    SESSION_NETWORK_INTERNAL: z.string().default('medforge-internal-sessions'),
    SESSION_NETWORK_INTERNAL_SUBNET: subnet('172.31.0.0/24'),
    /**
     * How Caddy reaches a session: `container-name` (Caddy on the sessions network, production) or
     * `container-ip` (Caddy on the host, development and tests).
     */
    SESSION_UPSTREAM_ADDRESSING: z.enum(['container-name', 'container-ip']).default('container-name'),
    /**
     * The platform's address as sessions use it (MEDFORGE_URL inside them, for `medforge submit`): the
     * console's URL, whose host name each session resolves through SESSION_API_HOST_<EXPOSURE> when set.
     */
    MEDFORGE_PUBLIC_URL: z.string().url().default('http://medforge.localhost:8080'),
    /**
     * Where the public host name points inside sessions of each network (an /etc/hosts entry): the edge's
     * address there (production: Caddy's fixed `.2` on that sessions network), or `host-gateway` for a
     * Caddy on the host (development). Unset: ordinary DNS. The east-west firewall must let sessions reach
     * it (ops/host/firewall-setup.sh, SESSION_API_ENDPOINTS).
     */
    SESSION_API_HOST_EXTERNAL: z.string().regex(apiHost, API_HOST_MESSAGE).optional(),
    SESSION_API_HOST_INTERNAL: z.string().regex(apiHost, API_HOST_MESSAGE).optional(),
    /**
     * A Python package index INTERNAL sessions (which have no internet) install from: a mirror or caching
     * proxy the host's firewall lets them reach (docs/runbook.md). Off (unset) by default.
     */
    SESSION_PACKAGE_INDEX_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://pypi-mirror.lab.example/simple/' })
      .optional(),
    /** Defaults of every session's limits (packs and admins' per-user settings override them); 0: none. */
    SESSION_DEFAULT_CPUS: z.coerce.number().min(0).max(1024).default(0),
    /**
     * `auto` (the default): the host's memory less SESSION_MEMORY_RESERVE_GIB, shared by the GPUs, so one
     * runaway job cannot take the memory of everyone else and of the platform; a number of GiB; 0: none.
     */
    SESSION_DEFAULT_MEMORY_GIB: z.union([z.literal('auto'), z.coerce.number().min(0).max(16_384)]).default('auto'),
    /** What `auto` leaves to the platform, the host and the page cache. */
    SESSION_MEMORY_RESERVE_GIB: z.coerce.number().min(0).max(16_384).default(8),
    /**
     * Sessions run on a read-only root file system; what they write goes to their home, or to /tmp and
     * /var/tmp, which are this large (memory-backed: it counts towards the memory limit).
     */
    SESSION_SCRATCH_MIB: int(2048, 64, 1_048_576),
    SESSION_DEFAULT_PIDS: int(4096, 64, 4_194_304),
    /** /dev/shm of each session; PyTorch DataLoader workers share batches through it (Docker's default is 64 MiB). */
    SESSION_DEFAULT_SHM_MIB: int(4096, 64, 16_777_216),
    /** No activity (workbench, SSH, a busy GPU or CPU, a marked process) for this long stops a session (0: never). */
    SESSION_IDLE_TIMEOUT_MINUTES: minutes(120, 0, 525_600),
    /** A session stops this long after it started, busy or not, unless its owner extends it (0: never). */
    SESSION_MAX_RUNTIME_HOURS: int(72, 0, 8760),
    /** How long after its start a session may run at most when its owner keeps extending it (0: no limit). */
    SESSION_RUNTIME_CEILING_HOURS: int(168, 0, 87_600),
    /** The furthest ahead one "keep running" may keep a session from its idle stop. */
    SESSION_KEEPALIVE_MAX_HOURS: int(24, 1, 8760),
    /** A container using at least this much CPU (percent of one core, mean over the window) is busy. */
    SESSION_BUSY_CPU_PERCENT: int(50, 1, 100_000),
    /** A session whose GPU is at least this busy (mean utilisation over the window) is busy. */
    SESSION_BUSY_GPU_PERCENT: int(10, 1, 100),
    /** The window CPU and GPU use are averaged over. */
    SESSION_BUSY_WINDOW_SECONDS: int(120, 1, 86_400),
    /** The owner sees the coming stop this long before. */
    SESSION_STOP_WARNING_MINUTES: minutes(10, 0.05, 1440),
    /** How often nvidia-smi is read for GPU telemetry (physical GPUs only). */
    GPU_TELEMETRY_INTERVAL_SECONDS: int(5, 1, 3600),
    /** How often running sessions are checked for activity. */
    SESSION_ACTIVITY_POLL_SECONDS: int(60, 1, 3600),
    SESSION_READINESS_TIMEOUT_MS: int(90_000, 1_000, 600_000),
    SESSION_STOP_GRACE_SECONDS: int(10, 0, 300),
    /** Recovery poll of active sessions against Docker (jittered ±20 %). */
    SESSION_POLL_INTERVAL_SECONDS: int(30, 1, 3600),
    /** Cap of the exponential backoff while recovery keeps failing. */
    SESSION_POLL_BACKOFF_MAX_SECONDS: int(300, 1, 86_400),
  })
  .superRefine(configFragments.disjointDataRoots)
  .superRefine((config, context) => {
    const { SESSION_MAX_RUNTIME_HOURS: max, SESSION_RUNTIME_CEILING_HOURS: ceiling } = config;
    if (max > 0 && ceiling > 0 && ceiling < max) {
      context.addIssue({
        code: 'custom',
        path: ['SESSION_RUNTIME_CEILING_HOURS'],
        message: `must be at least SESSION_MAX_RUNTIME_HOURS (${max}), or 0 for no limit`,
      });
    }
  });

export type SessionRuntimeConfig = z.infer<typeof sessionRuntimeConfigSchema>;

export function loadSessionRuntimeConfig(env: NodeJS.ProcessEnv = process.env): Readonly<SessionRuntimeConfig> {
  return loadConfig(sessionRuntimeConfigSchema, env);
}

/** The idle and maximum-runtime stops as the reaper and the API apply them. */
export function deadlinePolicyOf(config: Readonly<SessionRuntimeConfig>): DeadlinePolicy {
  return {
    idleTimeoutMs: config.SESSION_IDLE_TIMEOUT_MINUTES > 0 ? config.SESSION_IDLE_TIMEOUT_MINUTES * 60_000 : null,
    maxRuntimeMs: config.SESSION_MAX_RUNTIME_HOURS > 0 ? config.SESSION_MAX_RUNTIME_HOURS * 3_600_000 : null,
    warningMs: config.SESSION_STOP_WARNING_MINUTES * 60_000,
  };
}
