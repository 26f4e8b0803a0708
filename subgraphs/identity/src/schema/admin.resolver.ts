import { assertPage, requireAdmin, Role } from '@medforge/shared-schema';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';

import type { IdentityContext } from '../context';
import { UserPage } from './auth.type';
import { User } from './user.type';

const MAX_PAGE = 200;

@Resolver()
export class AdminUserResolver {
  @Query(() => UserPage, { description: 'Admin: accounts, oldest first, optionally filtered by email or name.' })
  async users(
    @Ctx() ctx: IdentityContext,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Arg('search', () => String, { nullable: true }) search: string | null,
  ): Promise<UserPage> {
    requireAdmin(ctx.actor);
    assertPage(limit, offset, MAX_PAGE);
    const page = await ctx.services.admin.list(limit, offset, search?.trim() || null);
    return Object.assign(new UserPage(), { users: page.users.map(User.from), total: page.total, limit, offset });
  }

  @Mutation(() => User, { description: 'Admin: allow or forbid INTERNAL sessions for a user.' })
  async setUserInternalAccess(
    @Arg('userId', () => ID) userId: string,
    @Arg('allowed') allowed: boolean,
    @Ctx() ctx: IdentityContext,
  ): Promise<User> {
    const admin = requireAdmin(ctx.actor);
    return User.from(await ctx.services.admin.setInternalAccess(admin, userId, allowed, ctx.logger));
  }

  @Mutation(() => User, {
    description:
      'Admin: make a user an administrator, or an administrator an ordinary user again (not yourself); open ' +
      'logins and tokens get the new role at once.',
  })
  async setUserRole(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: IdentityContext,
  ): Promise<User> {
    const admin = requireAdmin(ctx.actor);
    return User.from(await ctx.services.admin.setRole(admin, userId, role, ctx.logger));
  }

  @Mutation(() => User, { description: 'Admin: disable (ending every login) or re-enable a user.' })
  async setUserDisabled(
    @Arg('userId', () => ID) userId: string,
    @Arg('disabled') disabled: boolean,
    @Ctx() ctx: IdentityContext,
  ): Promise<User> {
    const admin = requireAdmin(ctx.actor);
    return User.from(await ctx.services.admin.setDisabled(admin, userId, disabled, ctx.logger));
  }
}
