import { type Role } from '@medforge/shared-schema';
import { Model } from 'objection';

export class UserRow extends Model {
  static override tableName = 'users';

  id!: string;
  email!: string;
  display_name!: string;
  password_hash!: string;
  role!: Role;
  can_use_internal!: boolean;
  disabled_at!: Date | null;
  created_at!: Date;
  updated_at!: Date;
}
