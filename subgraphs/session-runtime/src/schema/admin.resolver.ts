import { assertPage, isOwnerOrAdmin, requireAdmin, SessionStatus } from '@medforge/shared-schema';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { Gpu } from './gpu.type';
import { Pack } from './pack.type';
import { Session } from './session.type';

const MAX_PAGE = 200;

@ObjectType()
export class SessionPage {
  @Field(() => [Session])
  sessions!: Session[];

  @Field(() => Int)
  total!: number;
}

@Resolver(() => Gpu)
export class AdminGpuResolver {
  @Query(() => [Gpu], { description: 'Admin: the GPU inventory with who holds each GPU.' })
  async gpus(@Ctx() ctx: SessionRuntimeContext): Promise<Gpu[]> {
    requireAdmin(ctx.actor);
    return (await ctx.services.gpus.list()).map(Gpu.from);
  }

  @Mutation(() => Gpu, { description: 'Admin: allow or stop new sessions on a GPU (a running one keeps it).' })
  async setGpuEnabled(
    @Arg('index', () => Int) index: number,
    @Arg('enabled') enabled: boolean,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<Gpu> {
    const admin = requireAdmin(ctx.actor);
    const gpu = Gpu.from(await ctx.services.gpus.setEnabled(index, enabled));
    ctx.logger.info({ admin_id: admin.userId, gpu: index, enabled }, 'GPU enabled flag changed');
    return gpu;
  }

  @FieldResolver(() => Session, {
    nullable: true,
    description:
      "The active session on this GPU. Administrators see anyone's; others see it only when it is their own " +
      '(a GPU is reachable from their own sessions), otherwise null.',
  })
  async heldBy(@Root() gpu: Gpu, @Ctx() ctx: SessionRuntimeContext): Promise<Session | null> {
    const holder = (await ctx.gpuHolders()).get(gpu.index);
    return holder && isOwnerOrAdmin(ctx.actor, holder.user_id) ? Session.from(holder) : null;
  }
}

@Resolver()
export class AdminPackResolver {
  @Mutation(() => Pack, { description: 'Admin: registers a session image (pinned by digest) as a pack.' })
  async addPack(
    @Arg('name') name: string,
    @Arg('imageRef') imageRef: string,
    @Arg('description', { defaultValue: '' }) description: string,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<Pack> {
    requireAdmin(ctx.actor);
    return Pack.from(await ctx.services.packs.add(name, imageRef, description));
  }

  @Mutation(() => Pack, { description: 'Admin: hides a pack from new sessions.' })
  async deprecatePack(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionRuntimeContext): Promise<Pack> {
    requireAdmin(ctx.actor);
    return Pack.from(await ctx.services.packs.deprecate(id));
  }
}

@Resolver()
export class AdminSessionResolver {
  @Query(() => SessionPage, { description: 'Admin: every session, newest first.' })
  async allSessions(
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('status', () => SessionStatus, { nullable: true }) status: SessionStatus | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<SessionPage> {
    requireAdmin(ctx.actor);
    assertPage(limit, offset, MAX_PAGE);
    const page = await ctx.services.sessions.all(status, limit, offset);
    return Object.assign(new SessionPage(), { sessions: page.rows.map(Session.from), total: page.total });
  }
}
