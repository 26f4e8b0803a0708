import type { Exposure } from '@medforge/shared-schema';

/** What a session container may use. A null cpus or memoryMib means no limit. */
export interface ResourceLimits {
  cpus: number | null;
  memoryMib: number | null;
  pids: number;
  shmMib: number;
}

/** Paths and ports inside every pack image (deploy/packs/session-entrypoint.sh), whatever runs it. */
export const PACK_LAYOUT = {
  workspace: '/workspace',
  /**
   * HOME: the user's environment (dotfiles, VS Code settings and extensions, pip --user, caches, the SSH
   * host key) inside their home dataset, so it stays from one session to the next.
   */
  home: '/workspace/.home',
  /** Where a session started from a snapshot finds it, read-only. */
  snapshot: '/snapshot',
  codeServerPort: 8080,
  sshPort: 2222,
} as const;

/**
 * One session to run, in terms any runtime understands: which session and pack, which GPU, which home,
 * what its programs are told. How it is placed (a container spec, the GPU's device binding, networks,
 * where it listens) is the runtime's own business, so a runtime for another placement (a cluster
 * scheduler) implements the port without imitating Docker.
 */
export interface SessionLaunch {
  /** The runtime's handle for the session (`mf-session-<slug>`), which every other call names. */
  name: string;
  session: { id: string; userId: string; slug: string; exposure: Exposure };
  /** The installation starting it (installation-identity): recovery only ever touches its own. */
  installationId: string;
  /** The pack image. */
  image: string;
  /** The one GPU the session holds; a virtual GPU binds nothing. */
  gpu: { uuid: string; virtual: boolean };
  /** The user's home dataset on the host, the session's PACK_LAYOUT.workspace. */
  homePath: string;
  /** Host directories seen read-only (competition data, a snapshot view); each exists. */
  readOnlyMounts: ReadonlyArray<{ hostPath: string; containerPath: string }>;
  /** Where users reach the session's sshd from outside, or null where it is not published (INTERNAL). */
  sshPort: number | null;
  /** CPU, memory, process and /dev/shm limits. */
  limits: ResourceLimits;
  /**
   * The root file system is read-only (nothing grows what the runtime keeps of the session); /tmp and
   * /var/tmp are memory-backed scratch of this size. What the user keeps goes to the home.
   */
  scratchMib: number;
  /** What the session's programs are told (MEDFORGE_*, HOME, pip's index); the runtime adds its GPU binding. */
  env: Record<string, string>;
}

/** Signs of use inside a session. */
export interface SessionActivity {
  /** When code-server last saw workbench traffic (its heartbeat file); null if never. */
  workbenchAt: Date | null;
  /** Established SSH connections now. */
  sshConnections: number;
  /** The container's CPU time so far in ns, to compare with an earlier reading; null where the engine cannot say. */
  cpuUsageNs: number | null;
  /** Processes the user marked with `medforge keepalive` that are running now. */
  keptProcesses: ReadonlyArray<{ pid: number; command: string }>;
}

/** Where `medforge keepalive` marks a process inside a session (a file per pid holding its command line). */
export const KEPT_PROCESSES_DIR = '/tmp/medforge-keepalive';
/** The notice a session shows in its workbench (the pack's medforge-notices extension reads it). */
export const NOTICE_FILE = '/tmp/medforge-notice.json';

/** A notice shown inside a session: in its workbench and on its terminals. */
export type SessionNotice =
  | {
      kind: 'stop-warning';
      /** Shown as it is. */
      message: string;
      /** The coming stop it is about (ISO 8601); the workbench offers to keep the session running. */
      stopAt: string;
    }
  | { kind: 'memory-limit'; message: string };

export interface ContainerState {
  id: string;
  name: string;
  running: boolean;
  exitCode: number | null;
  /** Address on the session network, for Caddy's upstream and readiness checks. */
  ipAddress: string | null;
  labels: Record<string, string>;
}

/** Which installation holds this runtime's instance name on the engine, since when. */
export interface InstanceClaim {
  installationId: string;
  claimedAt: string;
}

/** The container engine as the session lifecycle needs it. Implemented with dockerode. */
export interface ContainerRuntime {
  /**
   * Claims this runtime's instance name on the engine for `installationId` unless another installation
   * holds it already; returns whoever holds it now (the caller compares). Kept by the engine, so every
   * installation sharing it sees the claim.
   */
  claimInstance(installationId: string): Promise<InstanceClaim>;
  ensureNetworks(): Promise<void>;
  /**
   * Places and starts the session; a leftover of this installation under the same name is replaced.
   * Throws HostPortTakenError when its SSH port is held by something else.
   */
  start(launch: SessionLaunch): Promise<ContainerState>;
  /**
   * Waits until the pack in a started container serves code-server: 'ready', or 'abandoned' as soon as
   * `stillWanted` says the session no longer wants it (stopped while starting). Throws ContainerExitedError
   * the moment the container exits or disappears, ContainerStartError when it never answers in time.
   */
  waitUntilServing(
    container: ContainerState,
    timeoutMs: number,
    stillWanted: () => Promise<boolean>,
  ): Promise<'ready' | 'abandoned'>;
  inspect(name: string): Promise<ContainerState | null>;
  /** Graceful stop (SIGTERM, then SIGKILL after the grace period); a missing container is not an error. */
  stop(name: string, graceSeconds: number): Promise<void>;
  /** Removes the container (running or not) and resolves once it is gone; a missing one is not an error. */
  remove(name: string): Promise<void>;
  /** Workbench and SSH activity in a running container (for idle stops). */
  activity(name: string): Promise<SessionActivity>;
  /**
   * Shows `notice` inside a running session, where its user is: the workbench (a notification with a
   * way to keep the session running) and every terminal (a `wall`-style line). Null takes the workbench
   * notice down. A missing or stopped container is not an error.
   */
  notify(name: string, notice: SessionNotice | null): Promise<void>;
  /** Replaces the session user's authorized_keys in a running container (keys changed meanwhile). */
  installAuthorizedKeys(name: string, keys: readonly string[]): Promise<void>;
  /** The last `lines` lines of the container's output (stdout and stderr); '' for a missing container. */
  logTail(name: string, lines: number): Promise<string>;
  /**
   * Every session container labelled with this runtime's instance name, running or not. Another
   * installation given the same name by mistake labels its containers so too: recovery tells them apart
   * by the installation label (LABELS.installation).
   */
  listSessionContainers(): Promise<ContainerState[]>;
  /** Calls `onExit` whenever one of this installation's containers stops, until `close()`. */
  watchExits(onExit: (containerName: string) => void): { close(): void };
  /**
   * Calls `onOutOfMemory` whenever the kernel kills a process of one of this installation's containers
   * at its memory limit (the container itself may go on), until `close()`.
   */
  watchOutOfMemory(onOutOfMemory: (containerName: string) => void): { close(): void };
}

/** A container that could not be brought up; the lifecycle adds the last lines of its log. */
export class ContainerStartError extends Error {}

export class ContainerExitedError extends ContainerStartError {
  constructor(readonly exitCode: number | null) {
    super(
      exitCode === null
        ? 'the container disappeared while starting'
        : `the container exited with code ${exitCode} while starting`,
    );
  }
}

/** The host port asked for the session's SSH is held by some other program: another port may do. */
export class HostPortTakenError extends ContainerStartError {
  constructor(readonly port: number) {
    super(`host port ${port} is already in use by another program`);
  }
}

export const CONTAINER_PREFIX = 'mf-session-';
export const MANAGED_LABEL = 'dev.medforge.managed';
/** Which MedForge installation owns a container; recovery only ever touches its own. */
export const INSTANCE_LABEL = 'dev.medforge.instance';
export const LABELS = {
  /** The installation id (its database's `installation` row) of the one that created the container. */
  installation: 'dev.medforge.installation',
  sessionId: 'dev.medforge.session-id',
  userId: 'dev.medforge.user-id',
  slug: 'dev.medforge.slug',
  exposure: 'dev.medforge.exposure',
} as const;

/** The labels a session's container (or job) carries, which ContainerState.labels reads back. */
export function launchLabels(launch: SessionLaunch): Record<string, string> {
  return {
    [LABELS.installation]: launch.installationId,
    [LABELS.sessionId]: launch.session.id,
    [LABELS.userId]: launch.session.userId,
    [LABELS.slug]: launch.session.slug,
    [LABELS.exposure]: launch.session.exposure,
  };
}

/** When an instance name was claimed (on the claim volume). */
export const CLAIMED_AT_LABEL = 'dev.medforge.claimed-at';

/** The Docker volume that records which installation holds an instance name on the engine. */
export function instanceClaimVolume(instance: string): string {
  return `medforge-instance-${instance}`;
}

export function containerNameFor(slug: string): string {
  return `${CONTAINER_PREFIX}${slug}`;
}
