import { clampLimit, DomainError, Exposure, isOwnerOrAdmin, requireActor } from '@medforge/shared-schema';
import { Arg, Ctx, Float, ID, Int, Mutation, Query, Resolver } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { Session } from './session.type';

const MAX_PAGE = 200;

@Resolver(() => Session)
export class SessionCommandsResolver {
  @Mutation(() => Session, {
    description:
      'Starts a session on a free GPU. Returns at once in STARTING; follow it with sessionUpdated. With every GPU taken, CAPACITY_EXHAUSTED, or with waitForGpu a QUEUED session that starts when the queue gives it a GPU.',
  })
  async createSession(
    @Arg('exposure', () => Exposure) exposure: Exposure,
    @Arg('packId', () => ID, { nullable: true }) packId: string | null,
    @Arg('snapshotId', () => ID, {
      nullable: true,
      description:
        'One of your snapshots, mounted read-only at /snapshot in the session (your home stays at /workspace).',
    })
    snapshotId: string | null,
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('name', () => String, {
      nullable: true,
      description:
        'What to call it ("nnunet-fold0"): 1-64 characters, shown in the console, the CLI and past sessions.',
    })
    name: string | null,
    @Arg('waitForGpu', () => Boolean, {
      defaultValue: false,
      description:
        'When every GPU is taken, wait in the queue (QUEUED, with queuePosition and estimatedStartAt) instead of CAPACITY_EXHAUSTED.',
    })
    waitForGpu: boolean,
  ): Promise<Session> {
    return Session.from(
      await ctx.services.lifecycle.create(ctx.actor, { exposure, packId, snapshotId, name, waitForGpu }, ctx.requestId),
    );
  }

  @Mutation(() => Session, {
    description:
      'Takes one of your QUEUED sessions (any, for admins) out of the queue: it ends STOPPED (stopReason LEFT_QUEUE). CONFLICT once it is no longer waiting.',
  })
  async leaveSessionQueue(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionRuntimeContext): Promise<Session> {
    return Session.from(await ctx.services.lifecycle.leaveQueue(ctx.actor, id));
  }

  @Mutation(() => Session, { description: 'Names (or, with null, unnames) one of your sessions (any, for admins).' })
  async renameSession(
    @Arg('id', () => ID) id: string,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<Session> {
    return Session.from(await ctx.services.sessions.rename(ctx.actor, id, name));
  }

  @Mutation(() => Session, {
    description:
      "Keeps a RUNNING session from its idle stop for `hours` (default: one idle period) and withdraws an announced stop; past the maximum runtime it extends that too, up to the installation's limit. Owner, admin, or the session's own token (KEEPALIVE).",
  })
  async keepSessionAlive(
    @Arg('id', () => ID) id: string,
    @Arg('hours', () => Float, { nullable: true }) hours: number | null,
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('exposure', () => Exposure, {
      nullable: true,
      description: 'Only a session of this exposure: another one is NOT_FOUND (the REST paths name one).',
    })
    exposure: Exposure | null,
  ): Promise<Session> {
    return Session.from(await ctx.services.keepAlive.keepAlive(ctx.actor, id, hours, exposure));
  }

  @Mutation(() => Session, {
    description:
      'Asks a session to stop (owner or admin). Idempotent; it snapshots the workspace and ends STOPPED. A QUEUED session leaves the queue.',
  })
  async stopSession(
    @Arg('id', () => ID) id: string,
    @Arg('exposure', () => Exposure, {
      nullable: true,
      description: 'Only a session of this exposure: another one is NOT_FOUND (the REST paths name one).',
    })
    exposure: Exposure | null,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<Session> {
    return Session.from(await ctx.services.lifecycle.stop(ctx.actor, id, exposure));
  }

  @Query(() => Session, { nullable: true, description: 'One of your sessions (any session for admins).' })
  async session(@Arg('id', () => ID) id: string, @Ctx() ctx: SessionRuntimeContext): Promise<Session | null> {
    const actor = requireActor(ctx.actor);
    const row = (await ctx.services.sessions.byIds([id])).get(id);
    return row && isOwnerOrAdmin(actor, row.user_id) ? Session.from(row) : null;
  }

  @Query(() => [Session], { description: 'Your sessions, newest first.' })
  async mySessions(
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
  ): Promise<Session[]> {
    const actor = requireActor(ctx.actor);
    return (await ctx.services.sessions.forUser(actor.userId, clampLimit(limit, MAX_PAGE))).map(Session.from);
  }

  @Query(() => [Session], {
    description: 'Your waiting (QUEUED) and active (STARTING, RUNNING, STOPPING) sessions of one exposure.',
  })
  async currentSessions(
    @Arg('exposure', () => Exposure) exposure: Exposure,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<Session[]> {
    const actor = requireActor(ctx.actor);
    if (exposure === Exposure.INTERNAL && !actor.canUseInternal) {
      throw new DomainError('FORBIDDEN', 'INTERNAL sessions need the internal entitlement; ask an administrator');
    }
    return (await ctx.services.sessions.currentForUser(actor.userId, exposure)).map(Session.from);
  }
}
