import { randomUUID } from 'node:crypto';

import { type Actor, createLogger, Exposure, type Knex, openDatabase, SessionStatus } from '@medforge/shared-schema';
import { dropDatabase, ManualClock, testDatabaseOptions } from '@medforge/shared-schema/testing';

import { VirtualGpuInventory } from '../../src/adapters/virtual-gpu-inventory';
import { sessionMigrations } from '../../src/db/migrations';
import { SessionRow } from '../../src/db/models/session.model';
import { GpuRegistry } from '../../src/services/gpu-registry';
import { SessionEvents } from '../../src/services/session-events';
import { SessionReaper } from '../../src/services/session-reaper';
import { StopWarnings } from '../../src/services/stop-warnings';
import { lifecycleHarness } from './lifecycle-harness';

/**
 * GPU reservations on the real database with the runtime in memory and a clock the test moves: checking
 * and collisions, requests and decisions, allocation keeping a booked GPU for its users, and the reaper
 * stopping someone else's session on it as the window opens, after the usual warning.
 */
describe('GPU reservations', () => {
  const db = testDatabaseOptions('gpu_reservations');
  const logger = createLogger('session-runtime', 'silent');
  const HOUR = 3_600_000;
  let knex: Knex;
  let clock: ManualClock;

  beforeAll(async () => {
    knex = await openDatabase(db, sessionMigrations, logger, true);
    await new GpuRegistry(knex).syncFrom(new VirtualGpuInventory(3), logger);
    await knex('packs').insert({
      id: randomUUID(),
      name: 'default',
      image_ref: `medforge/pack@sha256:${'e'.repeat(64)}`,
      is_default: true,
    });
  });

  beforeEach(() => {
    clock = new ManualClock(new Date());
  });

  afterEach(async () => {
    await knex('gpu_reservation_users').delete();
    await knex('gpu_reservations').delete();
    await knex('workspace_snapshots').delete();
    await knex('sessions').delete();
    await knex('gpu_devices').update({ enabled: true });
  });

  afterAll(async () => {
    await knex?.destroy();
    await dropDatabase(db);
  });

  const harness = () => lifecycleHarness(knex, logger, { installationId: randomUUID(), clock });
  const user = (): Actor => ({ userId: randomUUID(), role: 'user', canUseInternal: false });
  const admin = (): Actor => ({ userId: randomUUID(), role: 'admin', canUseInternal: true });
  const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR);
  const window = (gpuIndex: number | null, from: number, to: number, note = '') => ({
    gpuIndex,
    startsAt: inHours(from),
    endsAt: inHours(to),
    note,
  });
  const external = { exposure: Exposure.EXTERNAL, packId: null };

  it('refuses windows in the past, backwards, too long, on a GPU that does not exist, with a bad note', async () => {
    const { reservations } = harness();
    const ada = user();
    await expect(reservations.request(ada, window(0, -1, 2))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'A reservation cannot start in the past',
    });
    await expect(reservations.request(ada, window(0, 3, 2))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'A reservation must end after it starts',
    });
    await expect(reservations.request(ada, window(0, 1, 200))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'A reservation lasts at most 168 hours',
    });
    await expect(reservations.request(ada, window(9, 1, 2))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No GPU with index 9',
    });
    await expect(reservations.request(ada, window(0, 1, 2, 'x'.repeat(201)))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(reservations.book(admin(), window(0, 1, 2), [])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(reservations.book(user(), window(0, 1, 2), [ada.userId])).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('takes requests to an administrator, and lets the right people cancel', async () => {
    const { reservations } = harness();
    const ada = user();
    const boss = admin();
    const asked = await reservations.request(ada, window(1, 2, 4, 'MICCAI deadline'));
    expect(asked.row.status).toBe('requested');
    expect(asked.userIds).toEqual([ada.userId]);
    expect((await reservations.forUser(ada.userId)).map((r) => r.row.id)).toEqual([asked.row.id]);
    await expect(reservations.decide(ada, asked.row.id, true)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const approved = await reservations.decide(boss, asked.row.id, true);
    expect(approved.row).toMatchObject({ status: 'approved', decided_by: boss.userId });
    await expect(reservations.decide(boss, asked.row.id, false)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Reservation ${asked.row.id} is not awaiting a decision (it is APPROVED)`,
    });
    await expect(reservations.cancel(user(), asked.row.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await reservations.cancel(ada, asked.row.id)).row.status).toBe('cancelled');
    await expect(reservations.cancel(ada, asked.row.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(reservations.decide(boss, randomUUID(), true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a booking that collides with an approved one, naming it', async () => {
    const { reservations } = harness();
    const boss = admin();
    const first = await reservations.book(boss, window(1, 2, 4), [user().userId]);
    await expect(reservations.book(boss, window(1, 3, 5), [user().userId])).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`GPU 1 is already reserved from`),
      extensions: { reservationId: first.row.id },
    });
    // Back to back is no collision; another GPU neither.
    await reservations.book(boss, window(1, 4, 6), [user().userId]);
    await reservations.book(boss, window(0, 3, 5), [user().userId]);
    // Any GPU: three GPUs, two booked at 3-4 h already: one more fits, a fourth does not.
    await reservations.book(boss, window(null, 3, 4), [user().userId]);
    await expect(reservations.book(boss, window(null, 3, 4), [user().userId])).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Every enabled GPU (3) is already reserved at some time in this window'),
    });
    // A request is checked as it is asked, and again when approved: something may have been booked meanwhile.
    await expect(reservations.request(user(), window(1, 2, 3))).rejects.toMatchObject({ code: 'CONFLICT' });
    const asked = await reservations.request(user(), window(2, 7, 8));
    await reservations.book(boss, window(2, 7.5, 9), [user().userId]);
    await expect(reservations.decide(boss, asked.row.id, true)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('GPU 2 is already reserved'),
    });
  });

  it('keeps a booked GPU from others from the notice on, and gives it to its user past the queue', async () => {
    const h = harness();
    await knex('gpu_devices').where('id', '>', 0).update({ enabled: false }); // one GPU: GPU 0
    const ada = user();
    await h.reservations.book(admin(), window(0, 0.25, 2), [ada.userId]); // opens in 15 min (notice: 30)
    await expect(h.lifecycle.create(user(), external, 'req-bob')).rejects.toMatchObject({
      code: 'CAPACITY_EXHAUSTED',
    });
    const carol = await h.lifecycle.create(user(), { ...external, waitForGpu: true }, 'req-carol');
    expect(carol.status).toBe(SessionStatus.QUEUED);
    await h.lifecycle.settle();
    expect((await SessionRow.query(knex).findById(carol.id))!.status).toBe(SessionStatus.QUEUED);
    // Before her window Ada may not take it either; inside it, her start gets GPU 0 ahead of Carol.
    await expect(h.lifecycle.create(ada, external, 'req-ada-early')).rejects.toMatchObject({
      code: 'CAPACITY_EXHAUSTED',
    });
    clock.advance(20 * 60_000);
    const mine = await h.lifecycle.create(ada, external, 'req-ada');
    expect(mine).toMatchObject({ status: SessionStatus.STARTING, gpu_id: 0 });
    await h.lifecycle.settle();
    expect((await SessionRow.query(knex).findById(carol.id))!.status).toBe(SessionStatus.QUEUED);
  });

  it("warns someone else's session on a booked GPU in time, and stops it as the window opens", async () => {
    const h = harness();
    await knex('gpu_devices').where('id', '>', 0).update({ enabled: false });
    const bob = user();
    const running = await h.lifecycle.create(bob, external, 'req-bob');
    await h.lifecycle.settle();
    expect(running.gpu_id).toBe(0);
    const ada = user();
    await h.reservations.book(admin(), window(0, 0.5, 2), [ada.userId]); // opens in 30 min
    const events = new SessionEvents(h.publisher, logger);
    const sent: unknown[] = [];
    const warnings = new StopWarnings(
      knex,
      h.runtime,
      events,
      { send: async (n) => void sent.push(n) },
      { contact: async () => ({ email: null, displayName: null }) },
      'unit',
      logger,
    );
    const reaper = new SessionReaper(
      knex,
      h.runtime,
      h.lifecycle,
      warnings,
      { meanUtilization: () => null },
      { idleTimeoutMs: null, maxRuntimeMs: null, warningMs: 15 * 60_000 },
      { cpuPercent: 50, gpuPercent: 10, windowMs: 120_000 },
      60_000,
      logger,
      h.reservations,
    );
    expect(await reaper.runOnce(clock.now())).toMatchObject({ warned: 0, stopped: 0 });
    clock.advance(20 * 60_000); // 10 min before the window: inside the warning
    expect(await reaper.runOnce(clock.now())).toMatchObject({ warned: 1, stopped: 0 });
    expect(await SessionRow.query(knex).findById(running.id)).toMatchObject({
      stop_scheduled_reason: 'reservation',
      stop_scheduled_at: inHours(10 / 60),
    });
    expect(sent).toEqual([
      expect.objectContaining({
        event: 'session.stop_warning',
        stop: { at: inHours(10 / 60).toISOString(), reason: 'reservation' },
        message: expect.stringContaining('its GPU is reserved for someone else from then'),
      }),
    ]);
    clock.advance(10 * 60_000);
    expect(await reaper.runOnce(clock.now())).toMatchObject({ stopped: 1 });
    await h.lifecycle.settle();
    expect(await SessionRow.query(knex).findById(running.id)).toMatchObject({
      status: SessionStatus.STOPPED,
      stop_reason: 'reservation',
    });
    // Ada's own session on her GPU is left alone.
    const hers = await h.lifecycle.create(ada, external, 'req-ada');
    await h.lifecycle.settle();
    expect(hers.gpu_id).toBe(0);
    clock.advance(30 * 60_000);
    expect(await reaper.runOnce(clock.now())).toMatchObject({ warned: 0, stopped: 0 });
  });
});
