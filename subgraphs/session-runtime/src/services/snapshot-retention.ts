export interface RetentionPolicy {
  /** The newest this many snapshots are always kept. */
  keepLast: number;
  /** And the newest snapshot of each of the last this many days (UTC), today included. */
  keepDailyDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Which snapshots a retention pass deletes: all but the newest `keepLast` and the newest of each day in
 * the last `keepDailyDays` days. Pure, so the rule is tested apart from ZFS; the caller leaves out
 * snapshots in use before asking.
 */
export function snapshotsToPrune<T extends { id: string; created_at: Date }>(
  snapshots: readonly T[],
  policy: RetentionPolicy,
  now: Date = new Date(),
): T[] {
  const newestFirst = [...snapshots].sort((a, b) => b.created_at.getTime() - a.created_at.getTime());
  const keep = new Set(newestFirst.slice(0, policy.keepLast).map((s) => s.id));
  const today = Math.floor(now.getTime() / DAY_MS);
  const daysKept = new Set<number>();
  for (const snapshot of newestFirst) {
    const day = Math.floor(snapshot.created_at.getTime() / DAY_MS);
    if (today - day >= policy.keepDailyDays || daysKept.has(day)) continue;
    daysKept.add(day);
    keep.add(snapshot.id);
  }
  return newestFirst.filter((s) => !keep.has(s.id));
}
