import { snapshotsToPrune } from '../src/services/snapshot-retention';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-12-03T12:00:00Z');
const at = (id: string, msAgo: number) => ({ id, created_at: new Date(now.getTime() - msAgo) });

describe('snapshot retention', () => {
  it('keeps the newest N and prunes the rest, in any input order', () => {
    const snapshots = [at('c', 3000), at('a', 1000), at('d', 4000), at('b', 2000)];
    expect(snapshotsToPrune(snapshots, { keepLast: 2, keepDailyDays: 0 }, now).map((s) => s.id)).toEqual(['c', 'd']);
  });

  it('also keeps the newest snapshot of each of the last D days, today included', () => {
    const snapshots = [
      at('today-late', 1000),
      at('today-early', 2 * 60 * 60 * 1000),
      at('yesterday-late', DAY),
      at('yesterday-early', DAY + 60 * 60 * 1000),
      at('three-days-ago', 3 * DAY),
      at('ten-days-ago', 10 * DAY),
    ];
    const pruned = snapshotsToPrune(snapshots, { keepLast: 1, keepDailyDays: 4 }, now).map((s) => s.id);
    expect(pruned).toEqual(['today-early', 'yesterday-early', 'ten-days-ago']);
  });

  it('prunes nothing while there are no more than N', () => {
    expect(snapshotsToPrune([at('a', 1), at('b', 2)], { keepLast: 2, keepDailyDays: 0 }, now)).toEqual([]);
    expect(snapshotsToPrune([], { keepLast: 1, keepDailyDays: 7 }, now)).toEqual([]);
  });
});
