import { Role } from '@medforge/shared-schema';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

import type { AccountLinkRow } from '../db/models/account-link.model';
import type { IssuedLink } from '../services/account-links';

export enum SignUpMode {
  OPEN = 'open',
  INVITE = 'invite',
}

registerEnumType(SignUpMode, {
  name: 'SignUpMode',
  description: 'OPEN: anyone may sign up. INVITE: only with an invitation link from an administrator.',
});

@ObjectType({
  description:
    'A one-time link an administrator hands over (MedForge sends no mail): open the console at its origin plus `path`.',
})
export class AccountLink {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'e.g. /reset-password?token=… or /sign-in?invite=…; shown only when created.' })
  path!: string;

  @Field()
  expiresAt!: Date;

  static from(issued: IssuedLink): AccountLink {
    return Object.assign(new AccountLink(), { id: issued.row.id, path: issued.path, expiresAt: issued.row.expires_at });
  }
}

@ObjectType({ description: 'An invitation to sign up (its link is shown only when it is created).' })
export class Invite {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Only this address may accept it; null: anyone with the link.' })
  email!: string | null;

  @Field(() => Role, { description: 'The role the new account gets.' })
  role!: Role;

  @Field()
  createdAt!: Date;

  @Field()
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  usedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  static from(row: AccountLinkRow): Invite {
    return Object.assign(new Invite(), {
      id: row.id,
      email: row.email,
      role: row.role,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      revokedAt: row.revoked_at,
    });
  }
}

@InputType()
export class CreateInviteInput {
  @Field(() => String, { nullable: true, description: 'Bind it to one address; omit for anyone with the link.' })
  email?: string | null;

  @Field(() => Role, { defaultValue: Role.USER })
  role!: Role;

  @Field(() => Int, { defaultValue: 7, description: 'Days it stays valid (1-30).' })
  expiresInDays!: number;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  currentPassword!: string;

  @Field({ description: 'At least 10 characters.' })
  newPassword!: string;
}

@InputType()
export class ResetPasswordInput {
  @Field({ description: 'The `token` of the reset link.' })
  token!: string;

  @Field({ description: 'At least 10 characters.' })
  newPassword!: string;
}
