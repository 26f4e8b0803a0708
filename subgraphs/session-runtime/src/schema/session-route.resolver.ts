import { requireService } from '@medforge/shared-schema';
import { Arg, Ctx, Directive, Query, Resolver } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { SessionRoute } from './session-route.type';

const SLUG = /^[a-z2-7]{8}$/;

@Resolver()
export class SessionRouteResolver {
  /**
   * @inaccessible: absent from the public API, and answered only to the gateway's own service context.
   * It answers for any session because the gateway, not this query, decides who may be routed.
   */
  @Query(() => SessionRoute, { nullable: true })
  @Directive('@inaccessible')
  async sessionRoute(@Arg('slug') slug: string, @Ctx() ctx: SessionRuntimeContext): Promise<SessionRoute | null> {
    requireService(ctx.service, 'gateway');
    if (!SLUG.test(slug)) return null;
    const route = await ctx.services.routes.bySlug(slug);
    return route ? SessionRoute.from(route) : null;
  }
}
