import { randomInt } from 'node:crypto';

import { DomainError, type Knex } from '@medforge/shared-schema';

import type { AllocationHolds } from './reservation-holds';

/** No reservations in the way. */
export const NO_HOLDS: AllocationHolds = { exclude: new Set(), reserved: null, inOwnWindow: false, keepFree: 0 };

export interface SshPortRange {
  sshPortMin: number;
  sshPortMax: number;
}

/**
 * A free enabled GPU, locked for this transaction; rows other allocations hold are skipped, so concurrent
 * allocations take different GPUs without waiting on each other. Reservations (`holds`) keep GPUs booked
 * for others out, keep `keepFree` GPUs free for others' any-GPU bookings, and give a booked user their
 * own GPU first. Undefined when none may be taken.
 */
export async function lockFreeGpu(
  trx: Knex.Transaction,
  holds: AllocationHolds = NO_HOLDS,
): Promise<number | undefined> {
  const query = trx('gpu_devices')
    .where({ enabled: true, present: true })
    .whereNotIn('id', trx('sessions').whereNotNull('gpu_active').select('gpu_id'))
    .orderBy('id')
    .limit(holds.keepFree + 1)
    .forUpdate()
    .skipLocked();
  if (holds.exclude.size > 0) void query.whereNotIn('id', [...holds.exclude]);
  if (holds.reserved !== null) {
    const reserved = (await trx('gpu_devices')
      .where({ id: holds.reserved, enabled: true, present: true })
      .whereNotIn('id', trx('sessions').whereNotNull('gpu_active').select('gpu_id'))
      .first('id')
      .forUpdate()
      .skipLocked()) as { id: number } | undefined;
    if (reserved) return reserved.id;
  }
  const free = (await query.select('id')) as Array<{ id: number }>;
  // With GPUs to keep free for others' bookings, only a GPU beyond those may be taken.
  return free.length > holds.keepFree ? free[0]!.id : undefined;
}

/** Enabled, present GPUs no active session holds. */
export async function freeGpuCount(trx: Knex.Transaction): Promise<number> {
  const [{ n }] = (await trx('gpu_devices')
    .where({ enabled: true, present: true })
    .whereNotIn('id', trx('sessions').whereNotNull('gpu_active').select('gpu_id'))
    .count({ n: '*' })) as unknown as [{ n: number }];
  return Number(n);
}

/** A random free host SSH port in the range: random so concurrent allocations rarely collide. */
export async function freeSshPort(trx: Knex.Transaction, range: SshPortRange): Promise<number> {
  const taken = new Set((await trx('sessions').whereNotNull('ssh_port_active').pluck('ssh_port_active')).map(Number));
  const size = range.sshPortMax - range.sshPortMin + 1;
  if (taken.size >= size) throw new DomainError('CAPACITY_EXHAUSTED', 'No SSH port is free');
  for (;;) {
    const port = range.sshPortMin + randomInt(size);
    if (!taken.has(port)) return port;
  }
}
