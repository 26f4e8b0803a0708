import { Model } from 'objection';

export class GpuDeviceRow extends Model {
  static override tableName = 'gpu_devices';

  id!: number;
  uuid!: string;
  name!: string;
  memory_mib!: number;
  enabled!: boolean;
  is_virtual!: boolean;
  /** False when the device vanished from the inventory; it keeps its history but is never allocated. */
  present!: boolean;
  created_at!: Date;
  updated_at!: Date;
}
