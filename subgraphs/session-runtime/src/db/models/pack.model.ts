import { Model } from 'objection';

export class PackRow extends Model {
  static override tableName = 'packs';

  id!: string;
  name!: string;
  description!: string;
  image_ref!: string;
  is_default!: boolean;
  created_at!: Date;
  deprecated_at!: Date | null;
  /** Limits for sessions of this pack (null: the installation's default). */
  cpu_limit!: number | string | null;
  memory_limit_mib!: number | null;
  pids_limit!: number | null;
  shm_size_mib!: number | null;
}
