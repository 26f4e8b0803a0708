import {
  CLEAR_LOGIN_HEADER,
  encodeIssuedLogin,
  ISSUE_LOGIN_HEADER,
  requireService,
  type Role,
} from '@medforge/shared-schema';
import { Arg, Ctx, Directive, Mutation, Query, Resolver } from 'type-graphql';

import type { IdentityContext } from '../context';
import type { AuthResult } from '../services/auth-service';
import { AuthPayload, LoginInput, ResolvedLoginSession, SignUpInput } from './auth.type';
import { User } from './user.type';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in (sets the login cookie).' })
  async signUp(@Arg('input') input: SignUpInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    return issueLogin(ctx, await ctx.services.auth.signUp(input, ctx.clientIp, ctx.logger));
  }

  @Mutation(() => AuthPayload, { description: 'Signs in (sets the login cookie).' })
  async login(@Arg('input') input: LoginInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    return issueLogin(ctx, await ctx.services.auth.login(input.email, input.password, ctx.clientIp, ctx.logger));
  }

  @Mutation(() => Boolean, { description: 'Ends this login and clears the cookie; false when not signed in.' })
  async logout(@Ctx() ctx: IdentityContext): Promise<boolean> {
    const ended = await ctx.services.auth.logout(ctx.actor);
    ctx.setResponseHeader(CLEAR_LOGIN_HEADER, '1');
    return ended;
  }

  @Query(() => ResolvedLoginSession, { nullable: true })
  @Directive('@inaccessible')
  async resolveLoginSession(
    @Arg('tokenHash') tokenHash: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<ResolvedLoginSession | null> {
    requireService(ctx.service, 'gateway');
    const resolved = await ctx.services.auth.resolve(tokenHash);
    return resolved ? Object.assign(new ResolvedLoginSession(), { ...resolved, role: resolved.role as Role }) : null;
  }
}

/** Hands the gateway the new login (it sets the cookie) and answers with the signed-in account. */
export function issueLogin(ctx: IdentityContext, result: AuthResult): AuthPayload {
  ctx.setResponseHeader(ISSUE_LOGIN_HEADER, encodeIssuedLogin(result.issued));
  return Object.assign(new AuthPayload(), {
    user: User.ofProvenViewer(result.user),
    expiresAt: new Date(result.issued.expiresAt),
  });
}
