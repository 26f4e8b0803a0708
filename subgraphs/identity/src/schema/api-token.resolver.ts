import {
  assertPage,
  DomainError,
  requireActor,
  requireAdmin,
  requireService,
  type Role,
} from '@medforge/shared-schema';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import type { IdentityContext } from '../context';
import { ApiToken, ApiTokenPage, CreateApiTokenInput, CreatedApiToken, ResolvedApiToken } from './api-token.type';
import { User } from './user.type';

const MAX_PAGE = 200;

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @FieldResolver(() => User, { description: 'Whose token it is.' })
  async user(@Root() token: ApiToken, @Ctx() ctx: IdentityContext): Promise<User> {
    const row = await ctx.userLoader.load(token.userId);
    if (!row) throw new DomainError('NOT_FOUND', `No user with id ${token.userId}`);
    return User.from(row);
  }

  @Mutation(() => CreatedApiToken, {
    description:
      'Creates an API token for yourself; its secret is in the answer only. Needs a signed-in login (a token ' +
      'cannot create tokens).',
  })
  async createApiToken(
    @Arg('input') input: CreateApiTokenInput,
    @Ctx() ctx: IdentityContext,
  ): Promise<CreatedApiToken> {
    const actor = requireActor(ctx.actor);
    if (actor.apiTokenId) {
      throw new DomainError('FORBIDDEN', 'API tokens are created signed in (the console or a login), not with a token');
    }
    const owner = await ctx.userLoader.load(actor.userId);
    if (!owner) throw new DomainError('UNAUTHENTICATED', 'Your account no longer exists');
    const created = await ctx.services.apiTokens.create(
      owner,
      { name: input.name, scopes: input.scopes, expiresInDays: input.expiresInDays ?? null },
      ctx.logger,
    );
    return Object.assign(new CreatedApiToken(), { token: created.token, apiToken: ApiToken.from(created.row) });
  }

  @Mutation(() => ApiToken, { description: 'Revokes one of your API tokens (administrators: anyone’s); at once.' })
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<ApiToken> {
    const actor = requireActor(ctx.actor);
    return ApiToken.from(await ctx.services.apiTokens.revoke(actor, id, ctx.logger));
  }

  @Query(() => ApiTokenPage, { description: "Admin: every API token that still works (or one user's), newest first." })
  async apiTokens(
    @Ctx() ctx: IdentityContext,
    @Arg('userId', () => ID, { nullable: true }) userId: string | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<ApiTokenPage> {
    requireAdmin(ctx.actor);
    assertPage(limit, offset, MAX_PAGE);
    const page = await ctx.services.apiTokens.listAll(userId, limit, offset);
    return Object.assign(new ApiTokenPage(), { tokens: page.rows.map(ApiToken.from), total: page.total });
  }

  /** For the gateway only (@inaccessible): what a bearer token stands for, or null. */
  @Query(() => ResolvedApiToken, { nullable: true })
  @Directive('@inaccessible')
  async resolveApiToken(
    @Arg('tokenHash') tokenHash: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<ResolvedApiToken | null> {
    requireService(ctx.service, 'gateway');
    const resolved = await ctx.services.apiTokens.resolve(tokenHash);
    return resolved ? Object.assign(new ResolvedApiToken(), { ...resolved, role: resolved.role as Role }) : null;
  }

  /** For session-runtime only (@inaccessible): a submit-only token for a session it starts. */
  @Mutation(() => String)
  @Directive('@inaccessible')
  async createSessionApiToken(
    @Arg('userId', () => ID) userId: string,
    @Arg('sessionId', () => ID) sessionId: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<string> {
    requireService(ctx.service, 'session-runtime');
    return (await ctx.services.apiTokens.createForSession(userId, sessionId, ctx.logger)).token;
  }

  /** For session-runtime only (@inaccessible): ends a stopped session's token(s). */
  @Mutation(() => Int)
  @Directive('@inaccessible')
  async revokeSessionApiTokens(
    @Arg('sessionId', () => ID) sessionId: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<number> {
    requireService(ctx.service, 'session-runtime');
    return await ctx.services.apiTokens.revokeForSession(sessionId, ctx.logger);
  }
}
