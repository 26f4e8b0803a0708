import { randomInt, randomUUID } from 'node:crypto';

import { ACTIVE_SESSION_STATUSES, DomainError, Exposure, type Knex, SessionStatus } from '@medforge/shared-schema';
import { UniqueViolationError } from 'objection';

import type { WorkspaceStore } from '../ports/workspace-store';
import { PackRow } from '../db/models/pack.model';
import { SessionRow } from '../db/models/session.model';
import { newSlug } from './slug';

export interface AllocationLimits {
  maxActivePerUser: number;
  sshPortMin: number;
  sshPortMax: number;
}

export interface AllocationRequest {
  userId: string;
  exposure: Exposure;
  packId: string | null;
  /** A snapshot of the user's to mount read-only (full name), or none. */
  viewedSnapshot?: string | null;
  /** What the owner calls it (checked: sessionName). */
  name?: string | null;
}

/** Lost races on a GPU, slug or SSH port are retried this many times before giving up. */
const MAX_ATTEMPTS = 8;

/**
 * Step one of starting a session, in one transaction: lock the user's owner row, hold the per-user
 * limit, take a free enabled GPU (skipping rows other allocations hold), pick a slug and an SSH port,
 * and insert the `starting` row. The database has the last word: UNIQUE(gpu_id, gpu_active) and
 * UNIQUE(ssh_port_active) turn any race that slips through into a retry, never into a double booking.
 */
export class SessionAllocator {
  constructor(
    private readonly knex: Knex,
    private readonly workspaces: WorkspaceStore,
    private readonly limits: AllocationLimits,
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
    if (await trx('home_restores').where({ user_id: request.userId, status: 'running' }).first('id')) {
      throw new DomainError('CONFLICT', 'Your home is being restored; start a session when the restore is done');
    }
    const pack = await this.resolvePack(trx, request.packId);
    const gpu = (await trx('gpu_devices')
      .where({ enabled: true, present: true })
      .whereNotIn('id', trx('sessions').whereNotNull('gpu_active').select('gpu_id'))
      .orderBy('id')
      .first('id')
      .forUpdate()
      .skipLocked()) as { id: number } | undefined;
    if (!gpu) throw new DomainError('CAPACITY_EXHAUSTED', 'Every GPU is in use; try again when a session stops');
    const id = randomUUID();
    await SessionRow.query(trx).insert({
      id,
      user_id: request.userId,
      name: request.name ?? null,
      exposure: request.exposure,
      pack_id: pack.id,
      gpu_id: gpu.id,
      status: SessionStatus.STARTING,
      slug: newSlug(),
      workspace_zfs: this.workspaces.homeName(request.userId),
      viewed_snapshot: request.viewedSnapshot ?? null,
      start_phase: 'allocating',
      start_phase_at: new Date(),
      // INTERNAL sessions get no host port: SSH from outside would be the egress their network denies.
      ssh_port: request.exposure === Exposure.EXTERNAL ? await this.freeSshPort(trx) : null,
    });
    return (await SessionRow.query(trx).findById(id))!;
  }

  /**
   * A STARTING session whose SSH host port turned out to be held by another program moves to another free
   * port (the database still has the last word on uniqueness). Returns the new port.
   */
  async moveSshPort(sessionId: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.knex.transaction(async (trx) => {
          const port = await this.freeSshPort(trx);
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

  /** A random free port in the range: random so concurrent allocations rarely collide. */
  private async freeSshPort(trx: Knex.Transaction): Promise<number> {
    const taken = new Set((await trx('sessions').whereNotNull('ssh_port_active').pluck('ssh_port_active')).map(Number));
    const size = this.limits.sshPortMax - this.limits.sshPortMin + 1;
    if (taken.size >= size) throw new DomainError('CAPACITY_EXHAUSTED', 'No SSH port is free');
    for (;;) {
      const port = this.limits.sshPortMin + randomInt(size);
      if (!taken.has(port)) return port;
    }
  }
}
