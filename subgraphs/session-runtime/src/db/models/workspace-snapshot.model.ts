import { Model } from 'objection';

export type SnapshotReason = 'stop' | 'lost' | 'safety';

export class WorkspaceSnapshotRow extends Model {
  static override tableName = 'workspace_snapshots';

  id!: string;
  user_id!: string;
  /** The session whose stop (or loss) took it. */
  session_id!: string | null;
  workspace!: string;
  /** Full name, `<workspace>@<short name>`. */
  name!: string;
  reason!: SnapshotReason;
  created_at!: Date;
}
