import { type Clock, DomainError, type Knex, systemClock } from '@medforge/shared-schema';

import {
  bucketUsage,
  type GpuInterval,
  nextPeriod,
  periodStart,
  type UsageBucket,
  type UsagePeriod,
} from './usage-buckets';

/** Periods one report may span, so a report stays a page, not a scan of years by the day. */
const MAX_PERIODS = 400;
/** Without `since`: this many periods back from `until`. */
const DEFAULT_PERIODS: Record<UsagePeriod, number> = { day: 30, week: 12, month: 12 };

export interface UsageWindow {
  period: UsagePeriod;
  since: Date;
  until: Date;
}

/**
 * GPU and session hours from the session rows: what each session held from its start to its end (now,
 * while it runs), per user and period. The rows are the record; nothing is counted twice or kept aside.
 */
export class UsageReport {
  constructor(
    private readonly knex: Knex,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The window asked for, checked: `until` defaults to now, `since` to a sensible number of periods back. */
  window(period: UsagePeriod, since: Date | null, until: Date | null): UsageWindow {
    const end = until ?? this.clock.now();
    let start = since;
    if (!start) {
      start = periodStart(end, period);
      for (let i = 1; i < DEFAULT_PERIODS[period]; i++) start = previous(start, period);
    }
    if (start >= end) throw new DomainError('BAD_USER_INPUT', 'since must be before until', { field: 'since' });
    let periods = 0;
    for (let at = periodStart(start, period); at < end && periods <= MAX_PERIODS; at = nextPeriod(at, period))
      periods++;
    if (periods > MAX_PERIODS) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `A report spans at most ${MAX_PERIODS} periods; choose a longer period or a shorter window`,
        {
          field: 'since',
        },
      );
    }
    return { period, since: start, until: end };
  }

  /** Usage per user and period within the window; of one user when `userId` is given. */
  async buckets(window: UsageWindow, userId: string | null = null): Promise<UsageBucket[]> {
    return bucketUsage(
      await this.intervals(this.knex, window.since, window.until, userId),
      window.period,
      window.since,
      window.until,
    );
  }

  /** GPU hours `userId` used from `since` until now (within an allocation's transaction, when given one). */
  async gpuHoursSince(userId: string, since: Date, db: Knex = this.knex): Promise<number> {
    const now = this.clock.now();
    const intervals = await this.intervals(db, since, now, userId);
    return bucketUsage(intervals, 'month', since, now).reduce((sum, bucket) => sum + bucket.gpuHours, 0);
  }

  private async intervals(db: Knex, since: Date, until: Date, userId: string | null): Promise<GpuInterval[]> {
    const query = db('sessions')
      .whereNotNull('started_at')
      .where('started_at', '<', until)
      .where((q) => q.whereNull('stopped_at').orWhere('stopped_at', '>', since))
      .select('user_id', 'started_at', 'stopped_at');
    if (userId) void query.where({ user_id: userId });
    const now = this.clock.now();
    const rows = (await query) as Array<{ user_id: string; started_at: Date; stopped_at: Date | null }>;
    return rows.map((row) => ({ userId: row.user_id, start: row.started_at, end: row.stopped_at ?? now, gpus: 1 }));
  }
}

function previous(start: Date, period: UsagePeriod): Date {
  if (period === 'day') return new Date(start.getTime() - 86_400_000);
  if (period === 'week') return new Date(start.getTime() - 7 * 86_400_000);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1));
}
