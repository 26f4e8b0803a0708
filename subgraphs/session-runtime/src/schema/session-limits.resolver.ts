import { requireSelfOrAdmin } from '@medforge/shared-schema';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { overridesFrom, type ResourceLimits } from '../services/session-limits';
import { Pack } from './pack.type';
import { Session } from './session.type';
import { SessionLimitOverrides, SessionLimits, SessionLimitsInput } from './session-limits.type';
import { User } from './user.type';

@Resolver(() => Session)
export class SessionLimitsResolver {
  @FieldResolver(() => SessionLimits, { nullable: true, description: 'The limits it started with.' })
  limits(@Root() session: Session): SessionLimits | null {
    return session.resourceLimits ? SessionLimits.from(JSON.parse(session.resourceLimits) as ResourceLimits) : null;
  }
}

@Resolver(() => Pack)
export class PackLimitsResolver {
  @FieldResolver(() => SessionLimitOverrides, { description: "Limits of this pack's sessions." })
  async limits(@Root() pack: Pack, @Ctx() ctx: SessionRuntimeContext): Promise<SessionLimitOverrides> {
    return SessionLimitOverrides.from(overridesFrom(await ctx.packLoader.load(pack.id)));
  }

  @Mutation(() => Pack, { description: "Admin: sets the limits of a pack's new sessions." })
  async setPackLimits(
    @Arg('id', () => ID) id: string,
    @Arg('limits', () => SessionLimitsInput) limits: SessionLimitsInput,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<Pack> {
    return Pack.from(await ctx.services.limits.setForPack(ctx.actor, id, limits.toOverrides()));
  }
}

@Resolver(() => User)
export class UserLimitsResolver {
  @FieldResolver(() => SessionLimitOverrides, {
    description: "An admin's limits for the user's sessions, over the pack's (self or admin only).",
  })
  async sessionLimits(@Root() user: User, @Ctx() ctx: SessionRuntimeContext): Promise<SessionLimitOverrides> {
    requireSelfOrAdmin(ctx.actor, user.id);
    return SessionLimitOverrides.from(await ctx.services.limits.userOverrides(user.id));
  }

  @Mutation(() => SessionLimitOverrides, { description: "Admin: sets limits for a user's new sessions." })
  async setUserSessionLimits(
    @Arg('userId', () => ID) userId: string,
    @Arg('limits', () => SessionLimitsInput) limits: SessionLimitsInput,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<SessionLimitOverrides> {
    return SessionLimitOverrides.from(await ctx.services.limits.setForUser(ctx.actor, userId, limits.toOverrides()));
  }
}
