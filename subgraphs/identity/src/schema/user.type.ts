import { Role } from '@medforge/shared-schema';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

import type { UserRow } from '../db/models/user.model';

/**
 * A MedForge account. Owned by identity; other subgraphs add fields by key. `id` and `displayName`
 * are public; the other fields are resolved only for the user themself or an administrator.
 */
@ObjectType({ description: 'A MedForge account.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Public name shown on leaderboards.' })
  displayName!: string;

  row!: UserRow;
  /** Set when the caller has just proved to be this user (sign-up, login) before carrying a cookie. */
  provenViewer = false;

  static from(row: UserRow): User {
    return Object.assign(new User(), { id: row.id, displayName: row.display_name, row });
  }

  /** The account the caller has just signed up or logged in to: its private fields are theirs to see. */
  static ofProvenViewer(row: UserRow): User {
    return Object.assign(User.from(row), { provenViewer: true });
  }
}

export { Role };
