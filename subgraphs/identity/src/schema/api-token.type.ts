import { type ApiScope, Role } from '@medforge/shared-schema';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

import type { ApiTokenRow } from '../db/models/api-token.model';

/** GraphQL names of the scopes (ApiScope values are stored). */
export enum ApiTokenScope {
  READ = 'read',
  SUBMIT = 'submit',
  SESSIONS = 'sessions',
  ADMIN = 'admin',
  KEEPALIVE = 'keepalive',
}

registerEnumType(ApiTokenScope, {
  name: 'ApiTokenScope',
  description:
    'What an API token may do. READ: queries and subscriptions of your own data. SUBMIT: upload predictions ' +
    '(and read your submissions). SESSIONS: start, stop and manage sessions, snapshots and SSH keys. ADMIN ' +
    "(administrators only): act with the owner's administrator rights; without it a token acts as an ordinary user. " +
    'KEEPALIVE: keep your running sessions from idle stops (keepSessionAlive), nothing else.',
});

@ObjectType({ description: 'An API token (its secret is shown only when it is created).' })
export class ApiToken {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The first characters of the token (e.g. mf_pat_AbCd), to recognise it.' })
  prefix!: string;

  @Field(() => [ApiTokenScope])
  scopes!: ApiTokenScope[];

  @Field(() => ID, {
    nullable: true,
    description:
      'Set for the token a workbench session gets (SUBMIT and KEEPALIVE for that session; revoked when it stops).',
  })
  sessionId!: string | null;

  @Field(() => Date, { nullable: true, description: 'Null: no expiry.' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last request made with it (to the minute).' })
  lastUsedAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  userId!: string;

  static from(row: ApiTokenRow): ApiToken {
    return Object.assign(new ApiToken(), {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopeList as ApiScope[] as ApiTokenScope[],
      sessionId: row.session_id,
      expiresAt: row.expires_at,
      lastUsedAt: row.last_used_at,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
      userId: row.user_id,
    });
  }
}

@ObjectType({ description: 'A new API token with its secret: store it now, it is never shown again.' })
export class CreatedApiToken {
  @Field({ description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => ApiToken)
  apiToken!: ApiToken;
}

@InputType()
export class CreateApiTokenInput {
  @Field({ description: 'What it is for, e.g. "laptop CLI" (1-64 characters).' })
  name!: string;

  @Field(() => [ApiTokenScope])
  scopes!: ApiTokenScope[];

  @Field(() => Int, { nullable: true, description: 'Days until it expires (1-366); omit for no expiry.' })
  expiresInDays?: number | null;
}

@ObjectType({ description: 'A page of API tokens.' })
export class ApiTokenPage {
  @Field(() => [ApiToken])
  tokens!: ApiToken[];

  @Field(() => Int)
  total!: number;
}

/** Gateway-only: what a bearer token stands for. Hidden from the public API by @inaccessible. */
@ObjectType()
@Directive('@inaccessible')
export class ResolvedApiToken {
  @Field(() => ID)
  apiTokenId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Role, { description: 'Encoded as for a login (resolveLoginSession).' })
  role!: Role;

  @Field()
  canUseInternal!: boolean;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => ID, { nullable: true, description: "A session token's session (null for personal tokens)." })
  sessionId!: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;
}
