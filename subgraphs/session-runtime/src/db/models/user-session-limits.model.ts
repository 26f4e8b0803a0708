import { Model } from 'objection';

/** An admin's limits for one user's sessions, over the pack's (null: the pack's or default value). */
export class UserSessionLimitsRow extends Model {
  static override tableName = 'user_session_limits';
  static override idColumn = 'user_id';

  user_id!: string;
  cpu_limit!: number | string | null;
  memory_limit_mib!: number | null;
  pids_limit!: number | null;
  shm_size_mib!: number | null;
  updated_by!: string;
  updated_at!: Date;
}
