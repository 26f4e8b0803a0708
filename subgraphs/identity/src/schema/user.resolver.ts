import { requireSelfOrAdmin, Role } from '@medforge/shared-schema';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { IdentityContext } from '../context';
import { ApiToken } from './api-token.type';
import { SshKey } from './ssh-key.type';
import { User } from './user.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: "A user's public profile, or null if no such user exists." })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<User | null> {
    const row = await ctx.userLoader.load(id);
    return row ? User.from(row) : null;
  }

  @Query(() => User, { nullable: true, description: 'The signed-in user, or null when signed out.' })
  async me(@Ctx() ctx: IdentityContext): Promise<User | null> {
    if (!ctx.actor) return null;
    const row = await ctx.userLoader.load(ctx.actor.userId);
    return row ? User.from(row) : null;
  }

  @FieldResolver(() => String, { description: 'Self or admin only.' })
  email(@Root() user: User, @Ctx() ctx: IdentityContext): string {
    assertPrivateAccess(user, ctx);
    return user.row.email;
  }

  @FieldResolver(() => Role, { description: 'Self or admin only.' })
  role(@Root() user: User, @Ctx() ctx: IdentityContext): Role {
    assertPrivateAccess(user, ctx);
    return user.row.role;
  }

  @FieldResolver(() => Boolean, { description: 'May start INTERNAL sessions. Self or admin only.' })
  canUseInternal(@Root() user: User, @Ctx() ctx: IdentityContext): boolean {
    assertPrivateAccess(user, ctx);
    return user.row.can_use_internal;
  }

  @FieldResolver(() => Boolean, { description: 'Self or admin only.' })
  disabled(@Root() user: User, @Ctx() ctx: IdentityContext): boolean {
    assertPrivateAccess(user, ctx);
    return user.row.disabled_at !== null;
  }

  @FieldResolver(() => Date, { description: 'Self or admin only.' })
  createdAt(@Root() user: User, @Ctx() ctx: IdentityContext): Date {
    assertPrivateAccess(user, ctx);
    return user.row.created_at;
  }

  @FieldResolver(() => [SshKey], { description: 'Self or admin only.' })
  async sshKeys(@Root() user: User, @Ctx() ctx: IdentityContext): Promise<SshKey[]> {
    assertPrivateAccess(user, ctx);
    return (await ctx.services.sshKeys.list(user.id)).map(SshKey.from);
  }

  @FieldResolver(() => [ApiToken], {
    description: 'API tokens that still work, newest first, with those of running sessions. Self or admin only.',
  })
  async apiTokens(@Root() user: User, @Ctx() ctx: IdentityContext): Promise<ApiToken[]> {
    assertPrivateAccess(user, ctx);
    return (await ctx.services.apiTokens.listOf(user.id, true)).map(ApiToken.from);
  }
}

function assertPrivateAccess(user: User, ctx: IdentityContext): void {
  if (!user.provenViewer) requireSelfOrAdmin(ctx.actor, user.id);
}

export const userReference = {
  User: {
    async __resolveReference(reference: { id: string }, ctx: IdentityContext): Promise<User | null> {
      const row = await ctx.userLoader.load(reference.id);
      return row ? User.from(row) : null;
    },
  },
};
