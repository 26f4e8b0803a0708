import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';

import {
  type Actor,
  DomainError,
  Exposure,
  isOwnerOrAdmin,
  type Knex,
  type Logger,
  requireActor,
  retryOnDeadlock,
  SESSION_DATA_MOUNTS,
  SessionStatus,
} from '@medforge/shared-schema';

import {
  type ContainerRuntime,
  type ContainerState,
  ContainerStartError,
  containerNameFor,
  HostPortTakenError,
  LABELS,
  PACK_LAYOUT,
  type SessionContainerSpec,
} from '../ports/container-runtime';
import type { SessionTokenIssuer } from '../ports/session-tokens';
import type { SshKeySource } from '../ports/ssh-key-source';
import { stopSnapshotName, type WorkspaceStore } from '../ports/workspace-store';
import { GpuDeviceRow } from '../db/models/gpu-device.model';
import { PackRow } from '../db/models/pack.model';
import { SessionRow, type StartPhase, type StopReason } from '../db/models/session.model';
import { type SnapshotReason, WorkspaceSnapshotRow } from '../db/models/workspace-snapshot.model';
import type { SessionAllocator } from './session-allocator';
import type { LimitSettings } from './limit-settings';
import { sessionName } from './session-names';
import type { SessionEventSink } from './session-events';

/**
 * The mounts whose host directory exists: an install without competition data yet starts sessions
 * without it, rather than letting Docker create empty root-owned directories in its place.
 */
async function presentDirectories<T extends { hostPath: string }>(mounts: readonly T[]): Promise<T[]> {
  const present = await Promise.all(
    mounts.map((m) =>
      stat(m.hostPath).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return mounts.filter((_, i) => present[i]);
}

/** How much of a failed container's log its session's error message carries. */
const START_LOG_LINES = 15;
const ERROR_MESSAGE_MAX = 1024;
/** Starts tried with other SSH host ports when one is held by another program. */
const PORT_ATTEMPTS = 3;

export interface LifecycleSettings {
  /** This installation's id (installation-identity), labelled on every container it starts. */
  installationId: string;
  /** The size of each session's /tmp and /var/tmp (its root file system is read-only). */
  scratchMib: number;
  workspaceQuotaBytes: number | null;
  /** Competition data bound read-only into every session, where the host directory exists. */
  dataMounts: ReadonlyArray<{ hostPath: string; containerPath: string }>;
  readinessTimeoutMs: number;
  stopGraceSeconds: number;
  /**
   * How sessions reach the platform (`medforge submit`): its public URL, and per network where its host
   * name points inside them (null: ordinary DNS).
   */
  platform: { publicUrl: string; hostAddress: Record<Exposure, string | null> };
  /** The package index INTERNAL sessions install from (pip's PIP_INDEX_URL); null: none. */
  internalPackageIndex: string | null;
}

/**
 * Session state machine: STARTING → RUNNING → STOPPING → STOPPED, or ERROR from any active state.
 * Requests record intent and return at once; provisioning and finalization run in the background and
 * move the row with conditional updates, so a recovery pass and a late step can never both win.
 */
export class SessionLifecycle {
  private readonly inFlight = new Set<Promise<void>>();
  /** Sessions with provisioning or finalization running in this process; recovery leaves them alone. */
  private readonly busy = new Map<string, number>();
  /**
   * Provisioning in flight per session. A stop that lands while its session is STARTING finalizes only
   * after provisioning has given up, so whatever provisioning created (a container started a moment after
   * the stop) is stopped and removed by the finalization, never left running with its GPU freed.
   */
  private readonly provisioning = new Map<string, Promise<void>>();

  constructor(
    private readonly knex: Knex,
    private readonly allocator: SessionAllocator,
    private readonly workspaces: WorkspaceStore,
    private readonly runtime: ContainerRuntime,
    private readonly keys: SshKeySource,
    private readonly tokens: SessionTokenIssuer,
    private readonly events: SessionEventSink,
    private readonly limitSettings: LimitSettings,
    private readonly settings: LifecycleSettings,
    private readonly logger: Logger,
    /** After a session ends STOPPED: the snapshot retention pass for its user. */
    private readonly afterStop: (userId: string) => Promise<unknown> = async () => undefined,
  ) {}

  /** Starts a session; with `snapshotId`, one of the user's own snapshots is mounted read-only at /snapshot. */
  async create(
    actor: Actor | null,
    exposure: Exposure,
    packId: string | null,
    requestId: string,
    snapshotId: string | null = null,
    name: string | null = null,
  ): Promise<SessionRow> {
    const user = requireActor(actor);
    const checkedName = sessionName(name);
    if (exposure === Exposure.INTERNAL && !user.canUseInternal) {
      throw new DomainError('FORBIDDEN', 'INTERNAL sessions need the internal entitlement; ask an administrator');
    }
    let viewedSnapshot: string | null = null;
    if (snapshotId) {
      // Only the user's own: a session is its owner's, even when an admin starts it.
      const snapshot = await WorkspaceSnapshotRow.query(this.knex).findById(snapshotId);
      if (!snapshot || snapshot.user_id !== user.userId) {
        throw new DomainError('NOT_FOUND', `No snapshot with id ${snapshotId}`);
      }
      viewedSnapshot = snapshot.name;
    }
    const row = await this.allocator.allocate({
      userId: user.userId,
      exposure,
      packId,
      viewedSnapshot,
      name: checkedName,
    });
    await this.events.changed(row);
    const provisioning = this.provision(row, requestId);
    this.provisioning.set(row.id, provisioning);
    void provisioning.finally(() => this.provisioning.delete(row.id));
    this.background(row.id, provisioning);
    return row;
  }

  /** Stops a session of the actor's (any, for admins); with `exposure`, only a session of that exposure. */
  async stop(actor: Actor | null, sessionId: string, exposure: Exposure | null = null): Promise<SessionRow> {
    const user = requireActor(actor);
    const row = await SessionRow.query(this.knex).findById(sessionId);
    if (!row || !isOwnerOrAdmin(user, row.user_id) || (exposure !== null && row.exposure !== exposure)) {
      throw new DomainError('NOT_FOUND', `No session with id ${sessionId}`);
    }
    const reason: StopReason = user.userId === row.user_id ? 'user' : 'admin';
    return (await this.beginStop(row.id, [SessionStatus.STARTING, SessionStatus.RUNNING], reason, user.userId)) ?? row;
  }

  /** The reaper's stop of a RUNNING session that was idle too long or reached its maximum runtime. */
  async stopForDeadline(sessionId: string, reason: 'idle' | 'max-runtime'): Promise<SessionRow | null> {
    return this.beginStop(sessionId, [SessionStatus.RUNNING], reason, null);
  }

  /** STOPPING (recording who or what asked), then finalization in the background; null if not stoppable. */
  private async beginStop(
    id: string,
    from: readonly SessionStatus[],
    reason: StopReason,
    requestedBy: string | null,
  ): Promise<SessionRow | null> {
    const stopping = await this.transition(id, from, {
      status: SessionStatus.STOPPING,
      stop_requested_at: new Date(),
      stop_reason: reason,
      stop_scheduled_at: null,
      stop_scheduled_reason: null,
    });
    if (!stopping) return null; // already stopping or finished: stop is idempotent
    await this.events.changed(stopping, { requested_by: requestedBy, reason });
    const provisioning = this.provisioning.get(stopping.id) ?? Promise.resolve();
    this.background(
      stopping.id,
      provisioning.catch(() => undefined).then(() => this.finalize(stopping)),
    );
    return stopping;
  }

  isBusy(sessionId: string): boolean {
    return (this.busy.get(sessionId) ?? 0) > 0;
  }

  /** Recovery: a STARTING row nobody is working on (the process died mid-start) fails and is undone. */
  async abandonStart(row: SessionRow, reason: string): Promise<void> {
    await this.failStart(row, containerNameFor(row.slug), new Error(reason));
  }

  /** Recovery: a RUNNING session whose container is gone ends as ERROR, its workspace snapshotted. */
  async endLost(row: SessionRow, reason: string): Promise<void> {
    const name = containerNameFor(row.slug);
    let snapshot: string | null = null;
    let snapshotError = '';
    try {
      snapshot = await this.snapshotHome(row, 'lost');
    } catch (error) {
      snapshotError = `; the stop snapshot failed: ${(error as Error).message}`;
    }
    await this.runtime.remove(name);
    await this.release(row);
    const failed = await this.transition(row.id, [SessionStatus.RUNNING], {
      status: SessionStatus.ERROR,
      error_message: `The session ended unexpectedly: ${reason}${snapshotError}`.slice(0, 1024),
      snapshot_name: snapshot,
      stopped_at: new Date(),
    });
    if (failed) await this.events.changed(failed, { error: reason, snapshot });
  }

  /** Resolves once every background step started so far has finished (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** After the allocation commit: workspace, container, readiness. Any failure undoes all of it. */
  async provision(row: SessionRow, requestId: string): Promise<void> {
    const name = containerNameFor(row.slug);
    try {
      const [pack, gpu] = await Promise.all([
        PackRow.query(this.knex).findById(row.pack_id),
        GpuDeviceRow.query(this.knex).findById(row.gpu_id),
      ]);
      if (!pack || !gpu) throw new Error('pack or GPU row disappeared');
      await this.enterPhase(row.id, 'workspace');
      const { hostPath } = await this.workspaces.ensure(row.workspace_zfs, this.settings.workspaceQuotaBytes);
      const authorizedKeys = await this.keys.authorizedKeys(row.user_id, requestId);
      const token = await this.sessionToken(row, requestId);
      const limits = await this.limitSettings.forSession(row.user_id, pack);
      const dataMounts = await presentDirectories(this.settings.dataMounts);
      const snapshotMounts = row.viewed_snapshot
        ? [
            {
              hostPath: (await this.workspaces.openSnapshot(row.viewed_snapshot, row.id)).hostPath,
              containerPath: PACK_LAYOUT.snapshot,
            },
          ]
        : [];
      if (!(await this.enterPhase(row.id, 'container'))) {
        // Stopped meanwhile: nothing to start, and a token minted after the stop's release must go too.
        if (token) await this.release(row);
        return;
      }
      const state = await this.startContainer(row, {
        name,
        image: pack.image_ref,
        exposure: row.exposure,
        gpuUuid: gpu.is_virtual ? null : gpu.uuid,
        workspaceHostPath: hostPath,
        readOnlyMounts: [...dataMounts, ...snapshotMounts],
        sshHostPort: row.exposure === Exposure.EXTERNAL ? row.ssh_port : null,
        limits,
        scratchMib: this.settings.scratchMib,
        extraHosts: this.platformHosts(row.exposure),
        labels: {
          [LABELS.installation]: this.settings.installationId,
          [LABELS.sessionId]: row.id,
          [LABELS.userId]: row.user_id,
          [LABELS.slug]: row.slug,
          [LABELS.exposure]: row.exposure,
        },
        env: {
          HOME: PACK_LAYOUT.home,
          MEDFORGE_SESSION_ID: row.id,
          MEDFORGE_USER_ID: row.user_id,
          MEDFORGE_EXPOSURE: row.exposure.toUpperCase(),
          MEDFORGE_GPU_ID: String(gpu.id),
          NVIDIA_VISIBLE_DEVICES: gpu.is_virtual ? 'void' : gpu.uuid,
          CUDA_VISIBLE_DEVICES: '0',
          MEDFORGE_SSH_AUTHORIZED_KEYS: authorizedKeys.join('\n'),
          MEDFORGE_TRAINING_DATA: SESSION_DATA_MOUNTS.training,
          MEDFORGE_PUBLIC_EVAL_DATA: SESSION_DATA_MOUNTS.publicEval,
          MEDFORGE_URL: this.settings.platform.publicUrl,
          ...(token ? { MEDFORGE_TOKEN: token } : {}),
          ...(row.viewed_snapshot ? { MEDFORGE_SNAPSHOT: PACK_LAYOUT.snapshot } : {}),
          ...(row.exposure === Exposure.INTERNAL ? this.packageIndexEnv() : {}),
        },
      });
      await this.enterPhase(row.id, 'code-server');
      // A session stopped while starting must not hold this wait (and shutdown) for the whole timeout.
      const readiness = await this.runtime.waitUntilServing(state, this.settings.readinessTimeoutMs, () =>
        this.stillStarting(row.id),
      );
      if (readiness === 'abandoned') return; // the stop's finalization owns the container now
      const running = await this.transition(row.id, [SessionStatus.STARTING], {
        status: SessionStatus.RUNNING,
        container_id: state.id,
        container_ip: state.ipAddress,
        resource_limits: JSON.stringify(limits),
        started_at: new Date(),
      });
      if (running) await this.events.changed(running, { container_id: state.id });
      // Stopped while starting: the stop's finalization owns the container now.
    } catch (error) {
      await this.failStart(row, name, await this.withContainerLog(name, error as Error));
    }
  }

  /**
   * A host port held by a program MedForge does not know about is not the user's problem: the session
   * takes another free port and starts again, a few times at most.
   */
  private async startContainer(row: SessionRow, spec: SessionContainerSpec): Promise<ContainerState> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runtime.start(spec);
      } catch (error) {
        if (!(error instanceof HostPortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
        const port = await this.allocator.moveSshPort(row.id);
        this.logger.warn({ session_id: row.id, taken: error.port, port }, 'SSH host port in use elsewhere; moved');
        spec = { ...spec, sshHostPort: port };
      }
    }
  }

  /** A pack that could not start is explained by its own output: the last lines of its log join the error. */
  private async withContainerLog(name: string, error: Error): Promise<Error> {
    if (!(error instanceof ContainerStartError)) return error;
    const tail = await this.runtime.logTail(name, START_LOG_LINES).catch(() => '');
    return tail.trim() ? new Error(`${error.message}; last lines of its log:\n${tail.trimEnd()}`) : error;
  }

  /** Graceful stop, snapshot, container removal; STOPPED, or ERROR when the snapshot fails. */
  async finalize(row: SessionRow): Promise<void> {
    const name = containerNameFor(row.slug);
    try {
      await this.runtime.stop(name, this.settings.stopGraceSeconds);
      const snapshot = await this.snapshotHome(row, 'stop');
      await this.runtime.remove(name);
      await this.release(row);
      const stopped = await this.transition(row.id, [SessionStatus.STOPPING], {
        status: SessionStatus.STOPPED,
        snapshot_name: snapshot,
        stopped_at: new Date(),
      });
      if (stopped) {
        await this.events.changed(stopped, { snapshot });
        await this.afterStop(row.user_id).catch((error: unknown) =>
          this.logger.warn({ err: error, user_id: row.user_id }, 'snapshot retention after a stop failed'),
        );
      }
    } catch (error) {
      const failed = await this.transition(row.id, [SessionStatus.STOPPING], {
        status: SessionStatus.ERROR,
        error_message: `Stopping failed: ${(error as Error).message}`.slice(0, 1024),
        stopped_at: new Date(),
      });
      await this.runtime.remove(name).catch(() => undefined);
      await this.release(row);
      if (failed) await this.events.changed(failed, { error: (error as Error).message });
    }
  }

  private async failStart(row: SessionRow, name: string, error: Error): Promise<void> {
    this.logger.warn(
      { err: error, session_id: row.id, user_id: row.user_id, slug: row.slug },
      'session failed to start',
    );
    await this.runtime.remove(name).catch(() => undefined);
    await this.release(row);
    const failed = await this.transition(row.id, [SessionStatus.STARTING], {
      status: SessionStatus.ERROR,
      error_message: fitErrorMessage(`Starting failed: ${error.message}`),
      stopped_at: new Date(),
    });
    // The home stays: it holds the user's files from earlier sessions.
    if (failed) await this.events.changed(failed, { error: error.message });
  }

  /**
   * Records (and announces) the phase a start has reached, if the session is still STARTING; false when
   * it is not (stopped meanwhile).
   */
  private async enterPhase(id: string, phase: StartPhase): Promise<boolean> {
    const row = await this.transition(id, [SessionStatus.STARTING], { start_phase: phase, start_phase_at: new Date() });
    // A stop may have landed between the update and the re-read: it announces itself, this phase does not.
    if (row?.status === SessionStatus.STARTING) await this.events.changed(row);
    return row !== null;
  }

  /**
   * The owner's submit-only token for the session (`medforge submit` inside it). A session still starts
   * without one when identity cannot mint it: the command then says how to use a token of one's own.
   */
  private async sessionToken(row: SessionRow, requestId: string): Promise<string | null> {
    try {
      return await this.tokens.issue(row.user_id, row.id, requestId);
    } catch (error) {
      this.logger.warn({ err: error, session_id: row.id }, 'no session token: starting without one');
      return null;
    }
  }

  /** The platform's host name → its address inside sessions of this network, when configured. */
  /** pip's settings for the INTERNAL package index (plain http needs the host marked trusted). */
  private packageIndexEnv(): Record<string, string> {
    const index = this.settings.internalPackageIndex;
    if (!index) return {};
    const url = new URL(index);
    return { PIP_INDEX_URL: index, ...(url.protocol === 'http:' ? { PIP_TRUSTED_HOST: url.host } : {}) };
  }

  private platformHosts(exposure: Exposure): string[] {
    const address = this.settings.platform.hostAddress[exposure];
    return address ? [`${new URL(this.settings.platform.publicUrl).hostname}:${address}`] : [];
  }

  /** What a session holds besides its container, given back once the container is gone. */
  private async release(row: SessionRow): Promise<void> {
    await this.closeView(row);
    // The token dies with the session (it also expires on its own if this fails).
    await this.tokens
      .revoke(row.id, `req_release_${row.id}`)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, session_id: row.id }, 'could not revoke the session token'),
      );
  }

  /** The read-only view of a snapshot the session mounted, closed once its container is gone. */
  private async closeView(row: SessionRow): Promise<void> {
    if (!row.viewed_snapshot) return;
    await this.workspaces
      .closeSnapshot(row.viewed_snapshot, row.id)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, session_id: row.id }, 'could not close the snapshot view of a session'),
      );
  }

  private async stillStarting(id: string): Promise<boolean> {
    return (await SessionRow.query(this.knex).findById(id).select('status'))?.status === SessionStatus.STARTING;
  }

  /** Moves the row only if it is still in one of `from`: of two steps racing, exactly one wins. */
  private async transition(
    id: string,
    from: readonly SessionStatus[],
    patch: Partial<SessionRow>,
  ): Promise<SessionRow | null> {
    const updated = await retryOnDeadlock(() =>
      SessionRow.query(this.knex)
        .where({ id })
        .whereIn('status', from)
        .patch({ ...patch, updated_at: new Date() }),
    );
    return updated === 1 ? ((await SessionRow.query(this.knex).findById(id)) ?? null) : null;
  }

  /**
   * Takes the stop snapshot of the session's home and records it before the session moves on: a crash
   * after this leaves the session STOPPING (or RUNNING), which recovery finishes with another snapshot, so
   * a snapshot is never taken without its row for its owner to see.
   */
  private async snapshotHome(row: SessionRow, reason: SnapshotReason): Promise<string | null> {
    if (!(await this.workspaces.exists(row.workspace_zfs))) return null;
    const name = await this.workspaces.snapshot(row.workspace_zfs, stopSnapshotName(row.slug));
    await WorkspaceSnapshotRow.query(this.knex).insert({
      id: randomUUID(),
      user_id: row.user_id,
      session_id: row.id,
      workspace: row.workspace_zfs,
      name,
      reason,
      created_at: new Date(),
    });
    return name;
  }

  private background(sessionId: string, task: Promise<void>): void {
    const tracked = task.catch((error: unknown) =>
      this.logger.error({ err: error, session_id: sessionId }, 'session background step failed'),
    );
    this.busy.set(sessionId, (this.busy.get(sessionId) ?? 0) + 1);
    this.inFlight.add(tracked);
    void tracked.finally(() => {
      this.inFlight.delete(tracked);
      const left = (this.busy.get(sessionId) ?? 1) - 1;
      if (left > 0) this.busy.set(sessionId, left);
      else this.busy.delete(sessionId);
    });
  }
}

/** The column holds 1024 characters: keep the head (what failed) and the end of any log (the cause). */
function fitErrorMessage(message: string): string {
  if (message.length <= ERROR_MESSAGE_MAX) return message;
  const [head, ...log] = message.split('\n');
  const headPart = head!.slice(0, 400);
  const logPart = log.join('\n');
  return `${headPart}\n…${logPart.slice(logPart.length - (ERROR_MESSAGE_MAX - headPart.length - 2))}`;
}
