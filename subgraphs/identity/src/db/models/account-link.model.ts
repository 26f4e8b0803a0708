import type { Role } from '@medforge/shared-schema';
import { Model } from 'objection';

export type AccountLinkKind = 'password-reset' | 'invite';

export class AccountLinkRow extends Model {
  static override tableName = 'account_links';

  id!: string;
  kind!: AccountLinkKind;
  token_hash!: string;
  created_by!: string;
  /** The account a password reset is for. */
  user_id!: string | null;
  /** An invitation only this address may accept (null: anyone with the link). */
  email!: string | null;
  /** The role an invitation signs up with. */
  role!: Role;
  expires_at!: Date;
  used_at!: Date | null;
  used_by!: string | null;
  revoked_at!: Date | null;
  created_at!: Date;
}
