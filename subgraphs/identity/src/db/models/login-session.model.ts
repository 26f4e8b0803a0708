import { Model } from 'objection';

export class LoginSessionRow extends Model {
  static override tableName = 'login_sessions';

  id!: string;
  user_id!: string;
  token_hash!: string;
  created_at!: Date;
  expires_at!: Date;
  revoked_at!: Date | null;
  last_seen_at!: Date | null;
  ip!: string | null;
  user_agent!: string | null;
}
