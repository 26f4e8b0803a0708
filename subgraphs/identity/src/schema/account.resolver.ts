import { DomainError, requireActor, requireAdmin } from '@medforge/shared-schema';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';

import type { IdentityContext } from '../context';
import {
  AccountLink,
  ChangePasswordInput,
  CreateInviteInput,
  Invite,
  ResetPasswordInput,
  SignUpMode,
} from './account.type';
import { issueLogin } from './auth.resolver';
import { AuthPayload } from './auth.type';
import { User } from './user.type';

/** Managing one's own account, and what administrators hand over: reset links and invitations. */
@Resolver()
export class AccountResolver {
  @Query(() => SignUpMode, { description: 'Whether anyone may sign up, or only with an invitation.' })
  signUpMode(@Ctx() ctx: IdentityContext): SignUpMode {
    return ctx.services.auth.signUpMode === 'invite' ? SignUpMode.INVITE : SignUpMode.OPEN;
  }

  @Mutation(() => User, { description: 'Changes your public name (shown on leaderboards).' })
  async updateProfile(@Arg('displayName') displayName: string, @Ctx() ctx: IdentityContext): Promise<User> {
    const actor = requireActor(ctx.actor);
    return User.from(await ctx.services.auth.updateProfile(actor, displayName, ctx.logger));
  }

  @Mutation(() => Boolean, {
    description: 'Changes your password, given the current one; every other login of yours ends.',
  })
  async changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() ctx: IdentityContext): Promise<boolean> {
    const actor = requireActor(ctx.actor);
    if (actor.apiTokenId) throw new DomainError('FORBIDDEN', 'Change your password signed in, not with an API token');
    await ctx.services.auth.changePassword(actor, input.currentPassword, input.newPassword, ctx.clientIp, ctx.logger);
    return true;
  }

  @Mutation(() => AuthPayload, {
    description: 'Sets a new password with a reset link from an administrator, ends every login, and signs in.',
  })
  async resetPassword(@Arg('input') input: ResetPasswordInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    const user = await ctx.services.links.resetPassword(input.token, input.newPassword, ctx.clientIp, ctx.logger);
    return issueLogin(ctx, await ctx.services.auth.signIn(user, ctx.clientIp));
  }

  @Mutation(() => AccountLink, {
    description:
      'Admin: a one-time password reset link for a user (24 hours; replaces an earlier one). Hand it over yourself.',
  })
  async createPasswordResetLink(
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountLink> {
    const admin = requireAdmin(ctx.actor);
    return AccountLink.from(await ctx.services.links.createPasswordReset(admin, userId, ctx.logger));
  }

  @Mutation(() => AccountLink, { description: 'Admin: a one-time invitation link to sign up.' })
  async createInvite(@Arg('input') input: CreateInviteInput, @Ctx() ctx: IdentityContext): Promise<AccountLink> {
    const admin = requireAdmin(ctx.actor);
    return AccountLink.from(
      await ctx.services.links.createInvite(
        admin,
        { email: input.email ?? null, role: input.role, expiresInDays: input.expiresInDays },
        ctx.logger,
      ),
    );
  }

  @Query(() => [Invite], { description: 'Admin: open invitations, and those used or revoked in the last 30 days.' })
  async invites(@Ctx() ctx: IdentityContext): Promise<Invite[]> {
    requireAdmin(ctx.actor);
    return (await ctx.services.links.listInvites()).map(Invite.from);
  }

  @Mutation(() => Invite, { description: 'Admin: withdraw an invitation that was not used yet.' })
  async revokeInvite(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<Invite> {
    const admin = requireAdmin(ctx.actor);
    return Invite.from(await ctx.services.links.revokeInvite(admin, id, ctx.logger));
  }
}
