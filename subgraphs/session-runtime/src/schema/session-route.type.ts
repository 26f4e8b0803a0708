import { Exposure, type SessionRoute as Route, SessionStatus } from '@medforge/shared-schema';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Gateway-only: who owns the session behind a host name and where it listens. Hidden by @inaccessible. */
@ObjectType()
@Directive('@inaccessible')
export class SessionRoute implements Route {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Exposure)
  exposure!: Exposure;

  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field(() => String, { nullable: true })
  upstream!: string | null;

  static from(route: Route): SessionRoute {
    return Object.assign(new SessionRoute(), route);
  }
}
