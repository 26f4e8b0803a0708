import { randomUUID } from 'node:crypto';

import { type Actor, createLogger, Exposure, type Knex, openDatabase } from '@medforge/shared-schema';
import { dropDatabase, ManualClock, testDatabaseOptions } from '@medforge/shared-schema/testing';

import { VirtualGpuInventory } from '../../src/adapters/virtual-gpu-inventory';
import { sessionMigrations } from '../../src/db/migrations';
import { GpuRegistry } from '../../src/services/gpu-registry';
import { newSlug } from '../../src/services/slug';
import { lifecycleHarness } from './lifecycle-harness';

/**
 * Usage from the session rows (hours per user and period, running sessions included) and the weekly GPU
 * budget checked when a start is asked, on the real database with a clock the test sets.
 */
describe('usage and the weekly GPU budget', () => {
  const db = testDatabaseOptions('session_usage');
  const logger = createLogger('session-runtime', 'silent');
  // A Wednesday noon: Monday 00:00 UTC was 60 hours ago.
  const clock = new ManualClock('2026-12-09T12:00:00Z');
  const hoursAgo = (h: number) => new Date(clock.now().getTime() - h * 3_600_000);
  let knex: Knex;
  let packId: string;

  beforeAll(async () => {
    knex = await openDatabase(db, sessionMigrations, logger, true);
    await new GpuRegistry(knex).syncFrom(new VirtualGpuInventory(4), logger);
    packId = randomUUID();
    await knex('packs').insert({
      id: packId,
      name: 'default',
      image_ref: `medforge/pack@sha256:${'d'.repeat(64)}`,
      is_default: true,
    });
  });

  afterAll(async () => {
    await knex?.destroy();
    await dropDatabase(db);
  });

  const user = (): Actor => ({ userId: randomUUID(), role: 'user', canUseInternal: false });
  async function ran(userId: string, startedHoursAgo: number, stoppedHoursAgo: number | null) {
    await knex('session_owners').insert({ user_id: userId }).onConflict('user_id').ignore();
    await knex('sessions').insert({
      id: randomUUID(),
      user_id: userId,
      exposure: 'external',
      pack_id: packId,
      gpu_id: stoppedHoursAgo === null ? 3 : 0,
      status: stoppedHoursAgo === null ? 'running' : 'stopped',
      slug: newSlug(),
      workspace_zfs: `homes/${userId}`,
      created_at: hoursAgo(startedHoursAgo),
      started_at: hoursAgo(startedHoursAgo),
      stopped_at: stoppedHoursAgo === null ? null : hoursAgo(stoppedHoursAgo),
    });
  }

  it('adds up hours per user and period, cutting at the window and counting running sessions until now', async () => {
    const h = lifecycleHarness(knex, logger, { installationId: randomUUID(), clock });
    const ada = randomUUID();
    const bob = randomUUID();
    await ran(ada, 70, 64); // last week (Sunday night): 6 h
    await ran(ada, 10, 7); // this week: 3 h
    await ran(bob, 2, null); // running for 2 h
    const window = h.usage.window('week', null, null);
    expect(window.until).toEqual(clock.now());
    const buckets = await h.usage.buckets(window);
    const of = (userId: string) =>
      buckets.filter((b) => b.userId === userId).map((b) => [b.start.toISOString().slice(0, 10), b.gpuHours]);
    expect(of(ada)).toEqual([
      ['2026-11-30', 6],
      ['2026-12-07', 3],
    ]);
    expect(of(bob)).toEqual([['2026-12-07', 2]]);
    expect((await h.usage.buckets(window, bob)).map((b) => b.userId)).toEqual([bob]);
    expect(() => h.usage.window('day', clock.now(), hoursAgo(1))).toThrow(/since must be before until/);
    expect(() => h.usage.window('day', hoursAgo(24 * 500), null)).toThrow(/at most 400 periods/);
  });

  it('refuses a start once this week’s GPU hours reach the budget, saying when it refills; others start', async () => {
    const h = lifecycleHarness(knex, logger, { installationId: randomUUID(), clock, weeklyGpuHours: 10 });
    const spent = user();
    await ran(spent.userId, 20, 12); // 8 h this week
    await ran(spent.userId, 70, 59); // Sunday 22:00 to Monday 01:00: 1 h of it this week
    const external = { exposure: Exposure.EXTERNAL, packId: null };
    // 9 h: under the budget, a start is allowed
    const first = await h.lifecycle.create(spent, external, 'req-budget-1');
    await h.lifecycle.settle();
    await knex('sessions')
      .where({ id: first.id })
      .update({ started_at: hoursAgo(1) }); // its first hour
    await expect(h.lifecycle.create(spent, external, 'req-budget-2')).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message:
        'Your GPU budget of 10 h a week is used up (10 h since Monday 00:00 UTC); it refills 2026-12-14 00:00 UTC',
      extensions: { budgetHours: 10, usedHours: 10, refillsAt: '2026-12-14T00:00:00.000Z' },
    });
    const other = await h.lifecycle.create(user(), external, 'req-budget-other');
    expect(other.status).toBe('starting');
    await h.lifecycle.settle();
  });
});
