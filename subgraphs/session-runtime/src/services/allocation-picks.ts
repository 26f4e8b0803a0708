import { randomInt } from 'node:crypto';

import { DomainError, type Knex } from '@medforge/shared-schema';

export interface SshPortRange {
  sshPortMin: number;
  sshPortMax: number;
}

/**
 * A free enabled GPU, locked for this transaction; rows other allocations hold are skipped, so concurrent
 * allocations take different GPUs without waiting on each other. Undefined when none is free.
 */
export async function lockFreeGpu(trx: Knex.Transaction): Promise<number | undefined> {
  const gpu = (await trx('gpu_devices')
    .where({ enabled: true, present: true })
    .whereNotIn('id', trx('sessions').whereNotNull('gpu_active').select('gpu_id'))
    .orderBy('id')
    .first('id')
    .forUpdate()
    .skipLocked()) as { id: number } | undefined;
  return gpu?.id;
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
