import { bucketUsage, nextPeriod, periodStart } from '../src/services/usage-buckets';

const t = (iso: string) => new Date(iso);

describe('usage periods (UTC)', () => {
  it('starts days at midnight, weeks on Monday, months on the 1st', () => {
    const at = t('2026-12-09T17:30:00Z'); // a Wednesday
    expect(periodStart(at, 'day')).toEqual(t('2026-12-09T00:00:00Z'));
    expect(periodStart(at, 'week')).toEqual(t('2026-12-07T00:00:00Z'));
    expect(periodStart(t('2026-12-13T23:59:59Z'), 'week')).toEqual(t('2026-12-07T00:00:00Z')); // Sunday
    expect(periodStart(t('2026-12-14T00:00:00Z'), 'week')).toEqual(t('2026-12-14T00:00:00Z')); // Monday
    expect(periodStart(at, 'month')).toEqual(t('2026-12-01T00:00:00Z'));
    expect(nextPeriod(t('2026-12-01T00:00:00Z'), 'month')).toEqual(t('2027-01-01T00:00:00Z'));
    expect(nextPeriod(t('2026-12-07T00:00:00Z'), 'week')).toEqual(t('2026-12-14T00:00:00Z'));
  });
});

describe('bucketUsage', () => {
  const since = t('2026-12-01T00:00:00Z');
  const until = t('2026-12-31T00:00:00Z');

  it('cuts a session at period boundaries and counts it where it started', () => {
    const buckets = bucketUsage(
      [{ userId: 'ada', start: t('2026-12-02T22:00:00Z'), end: t('2026-12-03T03:00:00Z'), gpus: 1 }],
      'day',
      since,
      until,
    );
    expect(buckets).toEqual([
      {
        userId: 'ada',
        start: t('2026-12-02T00:00:00Z'),
        end: t('2026-12-03T00:00:00Z'),
        sessionHours: 2,
        gpuHours: 2,
        sessions: 1,
      },
      {
        userId: 'ada',
        start: t('2026-12-03T00:00:00Z'),
        end: t('2026-12-04T00:00:00Z'),
        sessionHours: 3,
        gpuHours: 3,
        sessions: 0,
      },
    ]);
  });

  it('counts only what lies in the window, per user, and GPU-hours by GPUs held', () => {
    const buckets = bucketUsage(
      [
        { userId: 'bob', start: t('2026-11-30T20:00:00Z'), end: t('2026-12-01T02:00:00Z'), gpus: 2 },
        { userId: 'ada', start: t('2026-12-08T10:00:00Z'), end: t('2026-12-08T11:30:00Z'), gpus: 1 },
        { userId: 'ada', start: t('2026-12-09T10:00:00Z'), end: t('2026-12-09T10:30:00Z'), gpus: 1 },
      ],
      'week',
      since,
      until,
    );
    expect(
      buckets.map((b) => [b.userId, b.start.toISOString().slice(0, 10), b.sessionHours, b.gpuHours, b.sessions]),
    ).toEqual([
      ['ada', '2026-12-07', 2, 2, 2],
      ['bob', '2026-11-30', 2, 4, 0],
    ]);
  });

  it('has nothing for a session outside the window', () => {
    expect(
      bucketUsage(
        [{ userId: 'x', start: t('2026-10-01T00:00:00Z'), end: t('2026-10-02T00:00:00Z'), gpus: 1 }],
        'month',
        since,
        until,
      ),
    ).toEqual([]);
  });
});
