import { stringify } from 'csv-stringify/browser/esm/sync';

import type { UsagePeriod } from '../graphql/generated/graphql';

export interface Bucket {
  start: string;
  gpuHours: number;
  sessionHours: number;
  sessions: number;
}

export interface UserRow {
  user: { id: string; email: string | null; displayName: string };
  buckets: readonly Bucket[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "8 Dec", "week of 7 Dec", "Dec 2026": a period as its chart label reads (UTC, as the periods are). */
export function periodLabel(start: string, period: UsagePeriod): string {
  const at = new Date(start);
  const day = `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}`;
  if (period === 'DAY') return day;
  if (period === 'WEEK') return `week of ${day}`;
  return `${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

/** "12.5 h": hours to one decimal. */
export function hours(value: number): string {
  return `${(Math.round(value * 10) / 10).toString()} h`;
}

/** Every period's GPU hours added over the users, oldest first (the admin chart). */
export function totalsByPeriod(users: readonly UserRow[]): Array<{ start: string; gpuHours: number }> {
  const totals = new Map<string, number>();
  for (const row of users) for (const b of row.buckets) totals.set(b.start, (totals.get(b.start) ?? 0) + b.gpuHours);
  return [...totals.entries()]
    .sort(([a], [b]) => Date.parse(a) - Date.parse(b))
    .map(([start, gpuHours]) => ({ start, gpuHours }));
}

/** The admin report as CSV: one line per user and period (hours to three decimals). */
export function usageCsv(users: readonly UserRow[], period: UsagePeriod): string {
  const rows = users.flatMap((row) =>
    row.buckets.map((b) => [
      row.user.email ?? '',
      row.user.displayName,
      period.toLowerCase(),
      b.start,
      b.gpuHours.toFixed(3),
      b.sessionHours.toFixed(3),
      b.sessions,
    ]),
  );
  return stringify(rows, {
    header: true,
    columns: ['email', 'display_name', 'period', 'period_start', 'gpu_hours', 'session_hours', 'sessions'],
  });
}
