import { clampLimit, requireActor, requireSelfOrAdmin } from '@medforge/shared-schema';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { HomeRestore } from './home-restore.type';
import { User } from './user.type';
import { WorkspaceSnapshot } from './workspace-snapshot.type';

const MAX_PAGE = 200;

@Resolver(() => WorkspaceSnapshot)
export class WorkspaceSnapshotResolver {
  @Query(() => [WorkspaceSnapshot], {
    description:
      'Snapshots of your home, newest first (the retention policy keeps the last N and one a day for D days).',
  })
  async mySnapshots(
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
  ): Promise<WorkspaceSnapshot[]> {
    const actor = requireActor(ctx.actor);
    return (await ctx.services.snapshots.forUser(actor.userId, clampLimit(limit, MAX_PAGE))).map(
      WorkspaceSnapshot.from,
    );
  }

  @Mutation(() => ID, {
    description: 'Deletes a snapshot of your home (any, for admins) and frees its space; returns its id.',
  })
  async deleteSnapshot(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionRuntimeContext): Promise<string> {
    return (await ctx.services.snapshots.delete(ctx.actor, id)).id;
  }

  @Mutation(() => HomeRestore, {
    description:
      'Restores a snapshot into your home (owner or admin), only while no session of yours is active. A safety ' +
      'snapshot of the home as it is comes first; follow the restore with homeRestore(id) until DONE.',
  })
  async restoreSnapshot(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionRuntimeContext): Promise<HomeRestore> {
    return HomeRestore.from(await ctx.services.restores.start(ctx.actor, id));
  }

  @Query(() => HomeRestore, { nullable: true, description: 'A restore of your home (any, for admins).' })
  async homeRestore(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionRuntimeContext): Promise<HomeRestore | null> {
    const row = await ctx.services.restores.byId(ctx.actor, id);
    return row ? HomeRestore.from(row) : null;
  }
}

@Resolver(() => User)
export class UserSnapshotsResolver {
  @FieldResolver(() => [WorkspaceSnapshot], { description: "Snapshots of the user's home (self or admin only)." })
  async snapshots(
    @Root() user: User,
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
  ): Promise<WorkspaceSnapshot[]> {
    requireSelfOrAdmin(ctx.actor, user.id);
    return (await ctx.services.snapshots.forUser(user.id, clampLimit(limit, MAX_PAGE))).map(WorkspaceSnapshot.from);
  }
}
