import type { ApiScope } from '@medforge/shared-schema';
import { Model } from 'objection';

export class ApiTokenRow extends Model {
  static override tableName = 'api_tokens';

  id!: string;
  user_id!: string;
  name!: string;
  token_hash!: string;
  prefix!: string;
  /** Comma-separated ApiScope values. */
  scopes!: string;
  session_id!: string | null;
  expires_at!: Date | null;
  last_used_at!: Date | null;
  created_at!: Date;
  revoked_at!: Date | null;

  get scopeList(): ApiScope[] {
    return this.scopes.split(',').filter((s) => s.length > 0) as ApiScope[];
  }
}
