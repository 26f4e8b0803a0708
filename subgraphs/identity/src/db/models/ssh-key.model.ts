import { Model } from 'objection';

export class SshKeyRow extends Model {
  static override tableName = 'ssh_keys';

  id!: string;
  user_id!: string;
  name!: string;
  key_type!: string;
  public_key!: string;
  fingerprint!: string;
  bits!: number | null;
  created_at!: Date;
}
