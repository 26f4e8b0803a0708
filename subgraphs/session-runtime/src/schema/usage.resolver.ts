import { requireActor, requireAdmin } from '@medforge/shared-schema';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import type { UsageBucket as Bucket } from '../services/usage-buckets';
import { GpuBudget, MyUsage, UsageBucket, UsagePeriod, UsageReport, UserUsage } from './usage.type';
import { User } from './user.type';

const WINDOW_ARGS = {
  since: 'From when (default: 30 days, 12 weeks or 12 months back, by period).',
  until: 'Until when (default: now).',
};

@Resolver()
export class UsageResolver {
  @Query(() => MyUsage, {
    description: 'Your GPU and session hours per day, week or month, and your weekly GPU budget.',
  })
  async myUsage(
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('period', () => UsagePeriod, { defaultValue: UsagePeriod.WEEK }) period: UsagePeriod,
    @Arg('since', () => Date, { nullable: true, description: WINDOW_ARGS.since }) since: Date | null,
    @Arg('until', () => Date, { nullable: true, description: WINDOW_ARGS.until }) until: Date | null,
  ): Promise<MyUsage> {
    const actor = requireActor(ctx.actor);
    const window = ctx.services.usage.window(period, since, until);
    const [buckets, budget] = await Promise.all([
      ctx.services.usage.buckets(window, actor.userId),
      ctx.services.budgets.of(actor.userId),
    ]);
    return Object.assign(new MyUsage(), {
      period,
      since: window.since,
      until: window.until,
      buckets: buckets.map(UsageBucket.from),
      budget: budget ? GpuBudget.from(budget) : null,
    });
  }

  @Query(() => UsageReport, { description: 'Admin: every user’s GPU and session hours per day, week or month.' })
  async gpuUsage(
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('period', () => UsagePeriod, { defaultValue: UsagePeriod.WEEK }) period: UsagePeriod,
    @Arg('since', () => Date, { nullable: true, description: WINDOW_ARGS.since }) since: Date | null,
    @Arg('until', () => Date, { nullable: true, description: WINDOW_ARGS.until }) until: Date | null,
  ): Promise<UsageReport> {
    requireAdmin(ctx.actor);
    const window = ctx.services.usage.window(period, since, until);
    const byUser = new Map<string, Bucket[]>();
    for (const bucket of await ctx.services.usage.buckets(window)) {
      byUser.set(bucket.userId, [...(byUser.get(bucket.userId) ?? []), bucket]);
    }
    const users = [...byUser.entries()]
      .map(([userId, buckets]) =>
        Object.assign(new UserUsage(), {
          user: Object.assign(new User(), { id: userId }),
          gpuHours: sum(buckets, (b) => b.gpuHours),
          sessionHours: sum(buckets, (b) => b.sessionHours),
          sessions: sum(buckets, (b) => b.sessions),
          buckets: buckets.map(UsageBucket.from),
        }),
      )
      .sort((a, b) => b.gpuHours - a.gpuHours);
    return Object.assign(new UsageReport(), { period, since: window.since, until: window.until, users });
  }
}

function sum(buckets: readonly Bucket[], of: (bucket: Bucket) => number): number {
  return buckets.reduce((total, bucket) => total + of(bucket), 0);
}
