import { ACTIVE_SESSION_STATUSES, DomainError, type Knex, type Logger } from '@medforge/shared-schema';

import type { GpuInventory } from '../ports/gpu-inventory';
import { GpuDeviceRow } from '../db/models/gpu-device.model';
import { heldGpu, SessionRow } from '../db/models/session.model';

export interface GpuAvailability {
  total: number;
  enabled: number;
  free: number;
}

/** The gpu_devices table kept in step with the host's inventory, and questions about it. */
export class GpuRegistry {
  constructor(private readonly knex: Knex) {}

  /**
   * Upserts every device the inventory reports (keeping the admin's enabled flag) and marks devices
   * that disappeared as not present, so they are never allocated but their history stays.
   */
  async syncFrom(inventory: GpuInventory, logger: Logger): Promise<void> {
    const devices = await inventory.list();
    await this.knex.transaction(async (trx) => {
      for (const device of devices) {
        await trx('gpu_devices')
          .insert({
            id: device.index,
            uuid: device.uuid,
            name: device.name,
            memory_mib: device.memoryMib,
            is_virtual: device.isVirtual,
            present: true,
          })
          .onConflict('id')
          .merge(['uuid', 'name', 'memory_mib', 'is_virtual', 'present', 'updated_at']);
      }
      const seen = devices.map((d) => d.index);
      await trx('gpu_devices')
        .modify((q) => (seen.length > 0 ? q.whereNotIn('id', seen) : q))
        .update({ present: false, updated_at: trx.fn.now(3) });
    });
    const virtual = devices.filter((d) => d.isVirtual).length;
    logger.info(
      { gpus: devices.length, virtual },
      virtual > 0
        ? `GPU inventory: ${virtual} virtual GPUs; allocation is enforced but no device is bound to containers`
        : `GPU inventory: ${devices.length} physical GPUs`,
    );
  }

  async list(): Promise<GpuDeviceRow[]> {
    return await GpuDeviceRow.query(this.knex).orderBy('id');
  }

  async byIds(ids: readonly number[]): Promise<Map<number, GpuDeviceRow>> {
    const rows = await GpuDeviceRow.query(this.knex).whereIn('id', [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Disabling keeps a running session on the GPU; it only stops new allocations. */
  async setEnabled(index: number, enabled: boolean): Promise<GpuDeviceRow> {
    const updated = await GpuDeviceRow.query(this.knex).findById(index).patch({ enabled, updated_at: new Date() });
    if (updated === 0) throw new DomainError('NOT_FOUND', `No GPU with index ${index}`);
    return (await GpuDeviceRow.query(this.knex).findById(index))!;
  }

  /** The active session holding each GPU. */
  async holders(): Promise<Map<number, SessionRow>> {
    const rows = await SessionRow.query(this.knex).whereNotNull('gpu_active');
    return new Map(rows.map((r) => [heldGpu(r), r]));
  }

  async availability(): Promise<GpuAvailability> {
    const [counts] = (await GpuDeviceRow.query(this.knex)
      .where('present', true)
      .select(
        this.knex.raw('COUNT(*) AS total'),
        this.knex.raw('COALESCE(SUM(enabled), 0) AS enabled'),
      )) as unknown as Array<{ total: number | string; enabled: number | string }>;
    const busy = SessionRow.query(this.knex).whereIn('status', ACTIVE_SESSION_STATUSES).select('gpu_id');
    const free = await GpuDeviceRow.query(this.knex)
      .where({ present: true, enabled: true })
      .whereNotIn('id', busy)
      .resultSize();
    return { total: Number(counts?.total ?? 0), enabled: Number(counts?.enabled ?? 0), free };
  }
}
