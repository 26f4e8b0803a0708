/** How usage is grouped: calendar days, ISO weeks (from Monday) or months, all in UTC. */
export type UsagePeriod = 'day' | 'week' | 'month';

/** A stretch of time a session held its GPU. */
export interface GpuInterval {
  userId: string;
  start: Date;
  /** Its end, or now for a session still running. */
  end: Date;
  /** GPUs it held (one per session today). */
  gpus: number;
}

export interface UsageBucket {
  userId: string;
  /** The period's first instant (UTC). */
  start: Date;
  end: Date;
  /** Hours sessions ran within the period. */
  sessionHours: number;
  /** Hours of GPU they held (session hours times GPUs). */
  gpuHours: number;
  /** Sessions that started within the period. */
  sessions: number;
}

const HOUR = 3_600_000;

/** The first instant of the period holding `at`. */
export function periodStart(at: Date, period: UsagePeriod): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (period === 'day') return day;
  if (period === 'month') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

/** The first instant of the next period. */
export function nextPeriod(start: Date, period: UsagePeriod): Date {
  if (period === 'day') return new Date(start.getTime() + 86_400_000);
  if (period === 'week') return new Date(start.getTime() + 7 * 86_400_000);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/**
 * Each user's usage per period from `since` to `until`: every interval cut at period boundaries and at the
 * window's edges; a session counts towards `sessions` in the period it started. Only periods with usage
 * are returned, by user, then by time.
 */
export function bucketUsage(
  intervals: readonly GpuInterval[],
  period: UsagePeriod,
  since: Date,
  until: Date,
): UsageBucket[] {
  const buckets = new Map<string, UsageBucket>();
  const bucketFor = (userId: string, start: Date) => {
    const key = `${userId}@${start.getTime()}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { userId, start, end: nextPeriod(start, period), sessionHours: 0, gpuHours: 0, sessions: 0 };
      buckets.set(key, bucket);
    }
    return bucket;
  };
  for (const interval of intervals) {
    if (interval.start >= since && interval.start < until)
      bucketFor(interval.userId, periodStart(interval.start, period)).sessions++;
    let from = new Date(Math.max(interval.start.getTime(), since.getTime()));
    const to = new Date(Math.min(interval.end.getTime(), until.getTime()));
    while (from < to) {
      const start = periodStart(from, period);
      const cut = new Date(Math.min(nextPeriod(start, period).getTime(), to.getTime()));
      const hours = (cut.getTime() - from.getTime()) / HOUR;
      const bucket = bucketFor(interval.userId, start);
      bucket.sessionHours += hours;
      bucket.gpuHours += hours * interval.gpus;
      from = cut;
    }
  }
  return [...buckets.values()].sort(
    (a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0) || a.start.getTime() - b.start.getTime(),
  );
}
