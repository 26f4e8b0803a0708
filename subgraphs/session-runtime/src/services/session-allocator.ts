import { randomUUID } from 'node:crypto';

import { ACTIVE_SESSION_STATUSES, DomainError, Exposure, type Knex, SessionStatus } from '@medforge/shared-schema';
import { UniqueViolationError } from 'objection';

import type { WorkspaceStore } from '../ports/workspace-store';
import { PackRow } from '../db/models/pack.model';
import { SessionRow } from '../db/models/session.model';
import { freeGpuCount, freeSshPort, lockFreeGpu, NO_HOLDS, type SshPortRange } from './allocation-picks';
import type { GpuBudgets } from './gpu-budgets';
import type { GpuReservations } from './gpu-reservations';
import { newSlug } from './slug';

export interface AllocationLimits extends SshPortRange {
  maxActivePerUser: number;
  /** Sessions one user may have waiting for a GPU at once; 0: nobody queues (a busy host refuses). */
  maxQueuedPerUser: number;
}

/** What else decides whether and where a start goes (none given: no budget, no reservations). */
export interface AllocationPolicies {
  /** The weekly GPU budget, checked under the user's lock. */
  budgets?: Pick<GpuBudgets, 'admit'>;
  /** GPUs booked for others are not taken; a booked user's start in their window gets theirs. */
  reservations?: Pick<GpuReservations, 'holds'>;
}

export interface AllocationRequest {
  userId: string;
  exposure: Exposure;
  packId: string | null;
  /** A snapshot of the user's to mount read-only (full name), or none. */
  viewedSnapshot?: string | null;
  /** What the owner calls it (checked: sessionName). */
  name?: string | null;
  /** With every GPU taken (or others already waiting), wait in the queue instead of being refused. */
  waitForGpu?: boolean;
}

/** Lost races on a GPU, slug or SSH port are retried this many times before giving up. */
const MAX_ATTEMPTS = 8;

/**
 * Step one of starting a session, in one transaction: lock the user's owner row, hold the per-user
 * limit, take a free enabled GPU (skipping rows other allocations hold), pick a slug and an SSH port,
 * and insert the `starting` row. While others wait for a GPU, a new start takes a free one only if more
 * are free than the queue can serve now; otherwise it joins the queue (SessionQueue hands GPUs out in the
 * queue's order) or, when it did not ask to wait, is refused. The database has the last word:
 * UNIQUE(gpu_id, gpu_active) and UNIQUE(ssh_port_active) turn any race that slips through into a retry,
 * never into a double booking.
 */
export class SessionAllocator {
  constructor(
    private readonly knex: Knex,
    private readonly workspaces: WorkspaceStore,
    private readonly limits: AllocationLimits,
    private readonly policies: AllocationPolicies = {},
  ) {}

  async allocate(request: AllocationRequest): Promise<SessionRow> {
    await this.knex('session_owners').insert({ user_id: request.userId }).onConflict('user_id').ignore();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.knex.transaction((trx) => this.allocateIn(trx, request), {
          isolationLevel: 'read committed',
        });
      } catch (error) {
        if (!(error instanceof UniqueViolationError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async allocateIn(trx: Knex.Transaction, request: AllocationRequest): Promise<SessionRow> {
    await trx('session_owners').where({ user_id: request.userId }).forUpdate().first('user_id');
    const [{ active }] = (await trx('sessions')
      .where({ user_id: request.userId })
      .whereIn('status', ACTIVE_SESSION_STATUSES)
      .count({ active: '*' })) as unknown as [{ active: number }];
    if (Number(active) >= this.limits.maxActivePerUser) {
      throw new DomainError(
        'CONFLICT',
        `You already have ${active} active session(s), the most allowed; stop one before starting another`,
        { limit: this.limits.maxActivePerUser },
      );
    }
    await this.policies.budgets?.admit(request.userId, trx);
    if (await trx('home_restores').where({ user_id: request.userId, status: 'running' }).first('id')) {
      throw new DomainError('CONFLICT', 'Your home is being restored; start a session when the restore is done');
    }
    const pack = await this.resolvePack(trx, request.packId);
    const waiting = await queuedCount(trx);
    const holds = (await this.policies.reservations?.holds(request.userId, trx)) ?? NO_HOLDS;
    // A booked user's start inside their window goes past the queue: the booking is theirs.
    const direct = holds.inOwnWindow || (await this.mayPassQueue(trx, waiting));
    const gpuId = direct ? await lockFreeGpu(trx, holds) : undefined;
    if (gpuId === undefined) return await this.queue(trx, request, pack, waiting);
    const id = randomUUID();
    await SessionRow.query(trx).insert({
      ...this.newRow(id, request, pack),
      gpu_id: gpuId,
      status: SessionStatus.STARTING,
      start_phase: 'allocating',
      start_phase_at: new Date(),
      // INTERNAL sessions get no host port: SSH from outside would be the egress their network denies.
      ssh_port: request.exposure === Exposure.EXTERNAL ? await freeSshPort(trx, this.limits) : null,
    });
    return (await SessionRow.query(trx).findById(id))!;
  }

  /**
   * Whether a start may take a free GPU directly: always with nobody waiting; otherwise only when more GPUs
   * are free than waiting sessions the queue could serve now (whose owners are below their active limit).
   */
  private async mayPassQueue(trx: Knex.Transaction, waiting: number): Promise<boolean> {
    if (waiting === 0) return true;
    const [free, servable] = await Promise.all([freeGpuCount(trx), servableWaiting(trx, this.limits.maxActivePerUser)]);
    return free > servable;
  }

  /** No GPU for this start now: a QUEUED row (no GPU, no port) when it may wait, else the refusal. */
  private async queue(
    trx: Knex.Transaction,
    request: AllocationRequest,
    pack: PackRow,
    waiting: number,
  ): Promise<SessionRow> {
    const others = waiting === 0 ? 'Every GPU is in use' : `Every GPU is in use and ${waiting} waiting`;
    if (!request.waitForGpu || this.limits.maxQueuedPerUser === 0) {
      throw new DomainError(
        'CAPACITY_EXHAUSTED',
        this.limits.maxQueuedPerUser === 0
          ? `${others}; try again when a session stops`
          : `${others}; start with waitForGpu to wait in the queue, or try again when a session stops`,
        { waiting },
      );
    }
    const own = await queuedCount(trx, request.userId);
    if (own >= this.limits.maxQueuedPerUser) {
      throw new DomainError(
        'CONFLICT',
        `You already have ${own} session(s) waiting for a GPU, the most allowed; leave the queue with one first`,
        { limit: this.limits.maxQueuedPerUser },
      );
    }
    const id = randomUUID();
    await SessionRow.query(trx).insert({
      ...this.newRow(id, request, pack),
      gpu_id: null,
      status: SessionStatus.QUEUED,
      queued_at: new Date(),
      ssh_port: null,
    });
    return (await SessionRow.query(trx).findById(id))!;
  }

  private newRow(id: string, request: AllocationRequest, pack: PackRow) {
    return {
      id,
      user_id: request.userId,
      name: request.name ?? null,
      exposure: request.exposure,
      pack_id: pack.id,
      slug: newSlug(),
      workspace_zfs: this.workspaces.homeName(request.userId),
      viewed_snapshot: request.viewedSnapshot ?? null,
    };
  }

  /**
   * A STARTING session whose SSH host port turned out to be held by another program moves to another free
   * port (the database still has the last word on uniqueness). Returns the new port.
   */
  async moveSshPort(sessionId: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.knex.transaction(async (trx) => {
          const port = await freeSshPort(trx, this.limits);
          const moved = await trx('sessions')
            .where({ id: sessionId, status: SessionStatus.STARTING })
            .update({ ssh_port: port, updated_at: new Date() });
          if (moved !== 1) throw new DomainError('CONFLICT', `Session ${sessionId} is no longer starting`);
          return port;
        });
      } catch (error) {
        if (!(error instanceof UniqueViolationError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async resolvePack(trx: Knex.Transaction, packId: string | null): Promise<PackRow> {
    const query = PackRow.query(trx).whereNull('deprecated_at');
    const pack = packId ? await query.findById(packId) : await query.findOne({ is_default: true });
    if (!pack) {
      throw packId
        ? new DomainError('NOT_FOUND', `No available pack with id ${packId}`)
        : new DomainError('NOT_AVAILABLE', 'No default pack is configured; ask an administrator');
    }
    return pack;
  }
}

/** Sessions waiting for a GPU: everyone's, or one user's. */
async function queuedCount(trx: Knex.Transaction, userId?: string): Promise<number> {
  const query = trx('sessions').where({ status: SessionStatus.QUEUED });
  if (userId) void query.where({ user_id: userId });
  const [{ n }] = (await query.count({ n: '*' })) as unknown as [{ n: number }];
  return Number(n);
}

/** Waiting sessions whose owners are below their active limit: those the queue would serve next. */
async function servableWaiting(trx: Knex.Transaction, maxActivePerUser: number): Promise<number> {
  const active = ACTIVE_SESSION_STATUSES.map(() => '?').join(',');
  const [{ n }] = (await trx('sessions as q')
    .where('q.status', SessionStatus.QUEUED)
    .whereRaw(`(SELECT COUNT(*) FROM sessions a WHERE a.user_id = q.user_id AND a.status IN (${active})) < ?`, [
      ...ACTIVE_SESSION_STATUSES,
      maxActivePerUser,
    ])
    .count({ n: '*' })) as unknown as [{ n: number }];
  return Number(n);
}
