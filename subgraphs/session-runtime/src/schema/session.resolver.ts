import { requireSelfOrAdmin, SessionStatus } from '@medforge/shared-schema';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { stopTimes, type StopTimes } from '../services/session-deadlines';
import { sshConfigEntry } from '../services/ssh-config';
import { Gpu } from './gpu.type';
import { Pack } from './pack.type';
import { Session } from './session.type';
import { User } from './user.type';

@Resolver(() => Session)
export class SessionResolver {
  @FieldResolver(() => User)
  user(@Root() session: Session): User {
    return Object.assign(new User(), { id: session.userId });
  }

  @FieldResolver(() => Gpu, {
    nullable: true,
    description: 'The GPU this session is (or was) bound to; null while QUEUED (and for one that left the queue).',
  })
  async gpu(@Root() session: Session, @Ctx() ctx: SessionRuntimeContext): Promise<Gpu | null> {
    if (session.gpuId === null) return null;
    const row = await ctx.gpuLoader.load(session.gpuId);
    if (!row) throw new Error(`session ${session.id} references missing GPU ${session.gpuId}`);
    return Gpu.from(row);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'While RUNNING: when it would be stopped as idle if nothing happens before (null: idle stops are off).',
  })
  idleStopAt(@Root() session: Session, @Ctx() ctx: SessionRuntimeContext): Date | null {
    return stopTimesOf(session, ctx)?.idleStopAt ?? null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'While RUNNING: when its maximum runtime stops it (null: no maximum).',
  })
  maxRuntimeStopAt(@Root() session: Session, @Ctx() ctx: SessionRuntimeContext): Date | null {
    return stopTimesOf(session, ctx)?.maxRuntimeStopAt ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'While RUNNING with an SSH port: a ready ~/.ssh/config entry (its HostKeyAlias is the same for all your sessions).',
  })
  sshConfig(@Root() session: Session, @Ctx() ctx: SessionRuntimeContext): string | null {
    if (session.status !== SessionStatus.RUNNING || session.sshPort === null) return null;
    return sshConfigEntry({ ...session, sshPort: session.sshPort }, ctx.services.sshHost);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'While QUEUED: its place in the queue for a GPU (1: next). The order: docs/sessions.md#the-gpu-queue.',
  })
  async queuePosition(@Root() session: Session, @Ctx() ctx: SessionRuntimeContext): Promise<number | null> {
    if (session.status !== SessionStatus.QUEUED) return null;
    return (await ctx.queuePlaces()).get(session.id)?.position ?? null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      "While QUEUED: when it can expect a GPU, from the running sessions' stop times and recent session lengths (an estimate).",
  })
  async estimatedStartAt(@Root() session: Session, @Ctx() ctx: SessionRuntimeContext): Promise<Date | null> {
    if (session.status !== SessionStatus.QUEUED) return null;
    return (await ctx.queuePlaces()).get(session.id)?.estimatedStartAt ?? null;
  }

  @FieldResolver(() => Pack)
  async pack(@Root() session: Session, @Ctx() ctx: SessionRuntimeContext): Promise<Pack> {
    const row = await ctx.packLoader.load(session.packId);
    if (!row) throw new Error(`session ${session.id} references missing pack ${session.packId}`);
    return Pack.from(row);
  }
}

export const sessionReference = {
  Session: {
    async __resolveReference(reference: { id: string }, ctx: SessionRuntimeContext): Promise<Session | null> {
      const row = (await ctx.services.sessions.byIds([reference.id])).get(reference.id);
      if (!row) return null;
      requireSelfOrAdmin(ctx.actor, row.user_id);
      return Session.from(row);
    },
  },
};

function stopTimesOf(session: Session, ctx: SessionRuntimeContext): StopTimes | null {
  if (session.status !== SessionStatus.RUNNING) return null;
  const startedAt = session.startedAt ?? session.createdAt;
  return stopTimes(
    {
      startedAt,
      lastActivityAt: session.lastActivityAt ?? startedAt,
      keepAliveUntil: session.keepAliveUntil,
      runtimeLimitAt: session.runtimeLimitAt,
    },
    ctx.services.deadlinePolicy,
  );
}
