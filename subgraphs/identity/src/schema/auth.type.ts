import { Role } from '@medforge/shared-schema';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';

import { User } from './user.type';

@InputType()
export class SignUpInput {
  @Field()
  email!: string;

  @Field({ description: 'At least 10 characters.' })
  password!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Public name, shown on leaderboards; without one, a neutral participant-<6 hex> (never the email).',
  })
  displayName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The secret of an invitation link (`invite` in it); required when sign-up is by invitation.',
  })
  inviteToken?: string | null;
}

@InputType()
export class LoginInput {
  @Field()
  email!: string;

  @Field()
  password!: string;
}

@ObjectType({ description: 'A successful sign-up or login; the session itself travels as an HTTP-only cookie.' })
export class AuthPayload {
  @Field(() => User)
  user!: User;

  @Field({ description: 'When this login expires.' })
  expiresAt!: Date;
}

@ObjectType()
export class UserPage {
  @Field(() => [User])
  users!: User[];

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  limit!: number;

  @Field(() => Int)
  offset!: number;
}

/** Gateway-only: what a cookie stands for. Hidden from the public API by @inaccessible. */
@ObjectType()
@Directive('@inaccessible')
export class ResolvedLoginSession {
  @Field(() => ID)
  loginSessionId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Role)
  role!: Role;

  @Field()
  canUseInternal!: boolean;

  @Field()
  expiresAt!: Date;
}
