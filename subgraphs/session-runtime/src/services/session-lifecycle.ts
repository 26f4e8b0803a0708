import {
  type Actor,
  DomainError,
  Exposure,
  isOwnerOrAdmin,
  type Knex,
  type Logger,
  requireActor,
  SessionStatus,
} from '@medforge/shared-schema';

import { SessionRow, type StopReason } from '../db/models/session.model';
import { WorkspaceSnapshotRow } from '../db/models/workspace-snapshot.model';
import type { SessionAllocator } from './session-allocator';
import type { DeadlineReason } from './session-deadlines';
import { sessionName } from './session-names';
import type { SessionProvisioning } from './session-provisioning';
import { QueueAdmission } from './queue-admission';
import type { SessionQueue } from './session-queue';
import type { SessionTeardown } from './session-teardown';
import type { SessionTransitions } from './session-transitions';

/** What a user asks for when starting a session. */
export interface StartRequest {
  exposure: Exposure;
  packId: string | null;
  /** One of the user's snapshots, mounted read-only at /snapshot. */
  snapshotId?: string | null;
  name?: string | null;
  /** With every GPU taken, wait in the queue (QUEUED) instead of being refused. */
  waitForGpu?: boolean;
}

/** The session core's jobs the lifecycle hands work to (session-core.ts wires them). */
export interface LifecycleParts {
  allocator: SessionAllocator;
  provisioner: SessionProvisioning;
  teardown: SessionTeardown;
  transitions: SessionTransitions;
  queue: SessionQueue;
  /** After a session that waited in the queue is RUNNING (the notification webhook). */
  startedFromQueue?: (row: SessionRow) => Promise<void>;
}

/**
 * What users and the platform ask of sessions: start (at once, or after waiting in the queue for a GPU),
 * stop, and recovery's ends. Requests record intent and return at once; provisioning and teardown run in
 * the background and move the row through SessionTransitions, so a recovery pass and a late step can
 * never both win. Whenever a GPU may have come free (a session ended, a start failed, a pass of recovery),
 * the queue is offered the free GPUs.
 */
export class SessionLifecycle {
  private readonly inFlight = new Set<Promise<void>>();
  /** Sessions with provisioning or teardown running in this process; recovery leaves them alone. */
  private readonly busy = new Map<string, number>();
  /**
   * Provisioning in flight per session. A stop that lands while its session is STARTING finalizes only
   * after provisioning has given up, so whatever provisioning created (a container started a moment after
   * the stop) is stopped and removed by the finalization, never left running with its GPU freed.
   */
  private readonly provisioning = new Map<string, Promise<void>>();
  private readonly allocator: SessionAllocator;
  private readonly provisioner: SessionProvisioning;
  private readonly teardown: SessionTeardown;
  private readonly transitions: SessionTransitions;
  private readonly admission: QueueAdmission;

  constructor(
    private readonly knex: Knex,
    parts: LifecycleParts,
    private readonly logger: Logger,
  ) {
    this.allocator = parts.allocator;
    this.provisioner = parts.provisioner;
    this.teardown = parts.teardown;
    this.transitions = parts.transitions;
    this.admission = new QueueAdmission(
      knex,
      parts.queue,
      parts.transitions,
      (row, requestId, afterwards) => this.launch(row, requestId, afterwards),
      parts.startedFromQueue ?? (() => Promise.resolve()),
    );
  }

  /**
   * Starts a session, or queues it for a GPU when every GPU is taken and the request may wait; with
   * `snapshotId`, one of the user's own snapshots is mounted read-only at /snapshot.
   */
  async create(actor: Actor | null, request: StartRequest, requestId: string): Promise<SessionRow> {
    const user = requireActor(actor);
    const checkedName = sessionName(request.name ?? null);
    if (request.exposure === Exposure.INTERNAL && !user.canUseInternal) {
      throw new DomainError('FORBIDDEN', 'INTERNAL sessions need the internal entitlement; ask an administrator');
    }
    const row = await this.allocator.allocate({
      userId: user.userId,
      exposure: request.exposure,
      packId: request.packId,
      viewedSnapshot: await this.ownSnapshotName(user.userId, request.snapshotId ?? null),
      name: checkedName,
      waitForGpu: request.waitForGpu ?? false,
    });
    await this.transitions.announce(row);
    if (row.status === SessionStatus.QUEUED) {
      // Its place may change the others' (a lighter user goes ahead), and a GPU may have come free meanwhile.
      this.track(this.admitQueued());
      return row;
    }
    this.launch(row, requestId);
    return row;
  }

  /** Takes one of the actor's waiting sessions (any, for admins) out of the queue: STOPPED, left-queue. */
  async leaveQueue(actor: Actor | null, sessionId: string): Promise<SessionRow> {
    const user = requireActor(actor);
    const row = await SessionRow.query(this.knex).findById(sessionId);
    if (!row || !isOwnerOrAdmin(user, row.user_id))
      throw new DomainError('NOT_FOUND', `No session with id ${sessionId}`);
    const left = row.status === SessionStatus.QUEUED ? await this.leave(row.id) : null;
    if (!left) {
      const now = (await SessionRow.query(this.knex).findById(sessionId))?.status ?? row.status;
      throw new DomainError('CONFLICT', `Session ${sessionId} is not waiting for a GPU (it is ${now.toUpperCase()})`, {
        status: now.toUpperCase(),
      });
    }
    return left;
  }

  /** Offers the free GPUs to the queue (QueueAdmission); the promoted sessions start as any other. */
  admitQueued(): Promise<void> {
    return this.admission.admit();
  }

  private async leave(sessionId: string): Promise<SessionRow | null> {
    const left = await this.admission.leave(sessionId);
    if (!left) return null;
    this.track(left.placesTold);
    return left.row;
  }

  /**
   * Provisions a STARTING row in the background, then `afterwards`; a start that fails gives its GPU to
   * the queue.
   */
  private launch(row: SessionRow, requestId: string, afterwards: () => Promise<void> = () => Promise.resolve()): void {
    const provisioning = this.provisioner.provision(row, requestId);
    this.provisioning.set(row.id, provisioning);
    void provisioning.finally(() => this.provisioning.delete(row.id));
    this.background(
      row.id,
      provisioning.then(afterwards).finally(() => this.admitQueued()),
    );
  }

  /** Stops a session of the actor's (any, for admins); with `exposure`, only a session of that exposure. */
  async stop(actor: Actor | null, sessionId: string, exposure: Exposure | null = null): Promise<SessionRow> {
    const user = requireActor(actor);
    const row = await SessionRow.query(this.knex).findById(sessionId);
    if (!row || !isOwnerOrAdmin(user, row.user_id) || (exposure !== null && row.exposure !== exposure)) {
      throw new DomainError('NOT_FOUND', `No session with id ${sessionId}`);
    }
    if (row.status === SessionStatus.QUEUED) return (await this.leave(row.id)) ?? (await this.reread(row));
    const reason: StopReason = user.userId === row.user_id ? 'user' : 'admin';
    return (await this.beginStop(row.id, [SessionStatus.STARTING, SessionStatus.RUNNING], reason, user.userId)) ?? row;
  }

  /** The reaper's stop of a RUNNING session that was idle too long or reached its maximum runtime. */
  async stopForDeadline(sessionId: string, reason: DeadlineReason): Promise<SessionRow | null> {
    return this.beginStop(sessionId, [SessionStatus.RUNNING], reason, null);
  }

  isBusy(sessionId: string): boolean {
    return (this.busy.get(sessionId) ?? 0) > 0;
  }

  /**
   * Recovery: a STARTING row nobody is working on (the process died mid-start) fails and is undone; one
   * promoted from the queue that had only taken its GPU goes back to its place in the queue instead.
   */
  async abandonStart(row: SessionRow, reason: string): Promise<void> {
    if (await this.admission.requeue(row, reason)) return;
    await this.teardown.failStart(row, new Error(reason));
  }

  /** Recovery: a STOPPING row nobody is finishing is finished. */
  async finalize(row: SessionRow): Promise<void> {
    await this.teardown.finalize(row);
  }

  /** Recovery: a RUNNING session whose container is gone ends as ERROR, its workspace snapshotted. */
  async endLost(row: SessionRow, reason: string): Promise<void> {
    await this.teardown.endLost(row, reason);
  }

  /** Resolves once every background step started so far has finished (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The name of one of the user's own snapshots (a session is its owner's, even when an admin starts it). */
  private async ownSnapshotName(userId: string, snapshotId: string | null): Promise<string | null> {
    if (!snapshotId) return null;
    const snapshot = await WorkspaceSnapshotRow.query(this.knex).findById(snapshotId);
    if (!snapshot || snapshot.user_id !== userId)
      throw new DomainError('NOT_FOUND', `No snapshot with id ${snapshotId}`);
    return snapshot.name;
  }

  /** STOPPING (recording who or what asked), then teardown in the background; null if not stoppable. */
  private async beginStop(
    id: string,
    from: readonly SessionStatus[],
    reason: StopReason,
    requestedBy: string | null,
  ): Promise<SessionRow | null> {
    const stopping = await this.transitions.moveAndAnnounce(
      id,
      from,
      {
        status: SessionStatus.STOPPING,
        stop_requested_at: new Date(),
        stop_reason: reason,
        stop_scheduled_at: null,
        stop_scheduled_reason: null,
      },
      { requested_by: requestedBy, reason },
    );
    if (!stopping) return null; // already stopping or finished: stop is idempotent
    const provisioning = this.provisioning.get(stopping.id) ?? Promise.resolve();
    this.background(
      stopping.id,
      provisioning
        .catch(() => undefined)
        .then(() => this.teardown.finalize(stopping))
        .then(() => this.admitQueued()),
    );
    return stopping;
  }

  private async reread(row: SessionRow): Promise<SessionRow> {
    return (await SessionRow.query(this.knex).findById(row.id)) ?? row;
  }

  /** Work not tied to one session (promotion passes) that settle() still waits for. */
  private track(task: Promise<void>): void {
    const tracked = task.catch((error: unknown) => this.logger.error({ err: error }, 'session queue step failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
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
