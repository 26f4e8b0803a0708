import { mount } from '@vue/test-utils';

import MyUsage from '../src/components/MyUsage.vue';
import { hours, periodLabel, totalsByPeriod, usageCsv } from '../src/lib/usage';

const ada = { id: 'u1', email: 'ada@example.org', displayName: 'Ada, "the first"' };
const bob = { id: 'u2', email: 'bob@example.org', displayName: 'Bob' };
const bucket = (start: string, gpuHours: number, sessions = 1) => ({
  start,
  end: start,
  gpuHours,
  sessionHours: gpuHours,
  sessions,
});

describe('usage words and numbers', () => {
  it('labels periods in UTC as people read them', () => {
    expect(periodLabel('2026-12-08T00:00:00.000Z', 'DAY')).toBe('8 Dec');
    expect(periodLabel('2026-12-07T00:00:00.000Z', 'WEEK')).toBe('week of 7 Dec');
    expect(periodLabel('2026-12-01T00:00:00.000Z', 'MONTH')).toBe('Dec 2026');
    expect(hours(12.345)).toBe('12.3 h');
    expect(hours(3)).toBe('3 h');
  });

  it("adds everyone's GPU hours per period, oldest first", () => {
    const users = [
      { user: ada, buckets: [bucket('2026-12-07T00:00:00.000Z', 3), bucket('2026-11-30T00:00:00.000Z', 6)] },
      { user: bob, buckets: [bucket('2026-12-07T00:00:00.000Z', 2)] },
    ];
    expect(totalsByPeriod(users)).toEqual([
      { start: '2026-11-30T00:00:00.000Z', gpuHours: 6 },
      { start: '2026-12-07T00:00:00.000Z', gpuHours: 5 },
    ]);
  });

  it('writes the report as CSV, quoting what needs it', () => {
    const csv = usageCsv([{ user: ada, buckets: [bucket('2026-12-07T00:00:00.000Z', 1.5, 2)] }], 'WEEK');
    expect(csv).toBe(
      'email,display_name,period,period_start,gpu_hours,session_hours,sessions\n' +
        'ada@example.org,"Ada, ""the first""",week,2026-12-07T00:00:00.000Z,1.500,1.500,2\n',
    );
  });
});

describe('MyUsage', () => {
  const usage = {
    period: 'WEEK' as const,
    since: '2026-09-21T00:00:00.000Z',
    until: '2026-12-09T12:00:00.000Z',
    buckets: [bucket('2026-12-07T00:00:00.000Z', 41.25)],
    budget: { hoursPerWeek: 40, usedHours: 41.25, refillsAt: '2026-12-14T00:00:00.000Z' },
  };

  it('says how much of the weekly budget is used, and what a used-up budget means', () => {
    const text = mount(MyUsage, { props: { usage }, global: { stubs: { UsageChart: true } } }).text();
    expect(text).toContain('41.3 h of your 40 GPU hours this week; the budget refills');
    expect(text).toContain('It is used up: new sessions start again then (running ones keep running).');
    expect(text).toContain('41.3 h of GPU time in the last 12 weeks.');
  });

  it('says so without usage, and shows no budget where the installation sets none', () => {
    const text = mount(MyUsage, {
      props: { usage: { ...usage, buckets: [], budget: null } },
      global: { stubs: { UsageChart: true } },
    }).text();
    expect(text).toBe('No GPU time in the last 12 weeks.');
  });
});
