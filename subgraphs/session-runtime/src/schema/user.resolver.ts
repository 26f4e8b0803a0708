import { clampLimit, requireSelfOrAdmin } from '@medforge/shared-schema';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { HomeUsage } from './home-usage.type';
import { Session } from './session.type';
import { User } from './user.type';

const MAX_SESSIONS_PAGE = 200;

@Resolver(() => User)
export class UserSessionsResolver {
  @FieldResolver(() => [Session], { description: "The user's sessions, newest first (self or admin only)." })
  async sessions(
    @Root() user: User,
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
  ): Promise<Session[]> {
    requireSelfOrAdmin(ctx.actor, user.id);
    const bounded = clampLimit(limit, MAX_SESSIONS_PAGE);
    return (await ctx.services.sessions.forUser(user.id, bounded)).map(Session.from);
  }

  @FieldResolver(() => HomeUsage, {
    nullable: true,
    description: "How full the user's home is (self or admin only); null before their first session made it.",
  })
  async homeUsage(@Root() user: User, @Ctx() ctx: SessionRuntimeContext): Promise<HomeUsage | null> {
    requireSelfOrAdmin(ctx.actor, user.id);
    const usage = await ctx.services.snapshots.homeUsage(user.id);
    return usage ? HomeUsage.from(usage) : null;
  }
}

export const userReference = {
  User: {
    __resolveReference(reference: { id: string }): User {
      return Object.assign(new User(), { id: reference.id });
    },
  },
};
