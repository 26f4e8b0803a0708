import { Model } from 'objection';

export type HomeRestoreStatus = 'running' | 'done' | 'failed';

export class HomeRestoreRow extends Model {
  static override tableName = 'home_restores';

  id!: string;
  user_id!: string;
  workspace!: string;
  snapshot_name!: string;
  /** The home as it was just before, taken first; null until then. */
  safety_snapshot!: string | null;
  status!: HomeRestoreStatus;
  error_message!: string | null;
  requested_by!: string;
  created_at!: Date;
  finished_at!: Date | null;
}
