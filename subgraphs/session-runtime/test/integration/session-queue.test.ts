import { randomUUID } from 'node:crypto';

import { type Actor, createLogger, Exposure, type Knex, openDatabase, SessionStatus } from '@medforge/shared-schema';
import { dropDatabase, testDatabaseOptions } from '@medforge/shared-schema/testing';

import { VirtualGpuInventory } from '../../src/adapters/virtual-gpu-inventory';
import { sessionMigrations } from '../../src/db/migrations';
import { SessionRow } from '../../src/db/models/session.model';
import type { SessionNotification } from '../../src/ports/notification-sink';
import { GpuRegistry } from '../../src/services/gpu-registry';
import { newSlug } from '../../src/services/slug';
import { QueueStartNotices } from '../../src/services/queue-start-notices';
import { InMemoryIdentity } from '../fakes/in-memory-identity';
import { lifecycleHarness, type LifecycleHarnessOptions } from './lifecycle-harness';

/**
 * The queue for GPUs on the real database with the runtime in memory: promotion in the queue's order,
 * fairness, leaving, caps, concurrent frees and competing promoters, a restart, and a crash between a
 * promotion and its start. The same queue through Docker and the API: integration-tests/test/session-queue.test.ts.
 */
describe('the GPU queue (in-memory runtime)', () => {
  const db = testDatabaseOptions('session_queue');
  const logger = createLogger('session-runtime', 'silent');
  const installationId = randomUUID();
  const GPUS = 7;
  let knex: Knex;

  beforeAll(async () => {
    knex = await openDatabase(db, sessionMigrations, logger, true);
    await new GpuRegistry(knex).syncFrom(new VirtualGpuInventory(GPUS), logger);
    await knex('packs').insert({
      id: randomUUID(),
      name: 'default',
      image_ref: `medforge/pack@sha256:${'c'.repeat(64)}`,
      is_default: true,
    });
  });

  afterAll(async () => {
    await knex?.destroy();
    await dropDatabase(db);
  });

  afterEach(async () => {
    await knex('workspace_snapshots').delete();
    await knex('sessions').delete();
    await knex('gpu_devices').update({ enabled: true });
  });

  const harness = (options: Partial<LifecycleHarnessOptions> = {}) =>
    lifecycleHarness(knex, logger, { installationId, ...options });
  const user = (): Actor => ({ userId: randomUUID(), role: 'user', canUseInternal: false });
  const reload = async (id: string) => (await SessionRow.query(knex).findById(id))!;
  const external = { exposure: Exposure.EXTERNAL, packId: null };
  const waiting = { ...external, waitForGpu: true };
  /** Only the first `n` GPUs take sessions. */
  const capacity = (n: number) => knex('gpu_devices').update({ enabled: knex.raw('id < ?', [n]) });

  /** `n` users with a RUNNING session each (one GPU each). */
  async function fill(h: ReturnType<typeof harness>, n: number) {
    const running: Array<{ actor: Actor; row: SessionRow }> = [];
    for (let i = 0; i < n; i++) {
      const actor = user();
      running.push({ actor, row: await h.lifecycle.create(actor, external, `req-fill-${i}`) });
    }
    await h.lifecycle.settle();
    return running;
  }

  /** A waiting session written as the allocator would (for states a start alone does not reach). */
  async function insertQueued(userId: string, queuedAt: Date): Promise<string> {
    const id = randomUUID();
    const pack = (await knex('packs').first('id')) as { id: string };
    await knex('sessions').insert({
      id,
      user_id: userId,
      exposure: 'external',
      pack_id: pack.id,
      gpu_id: null,
      status: 'queued',
      slug: newSlug(),
      workspace_zfs: `homes/${userId}`,
      queued_at: queuedAt,
    });
    return id;
  }

  async function statusOf(id: string): Promise<SessionStatus> {
    return (await reload(id)).status;
  }

  it('queues a start that may wait when every GPU is taken, and refuses one that may not', async () => {
    await capacity(2);
    const h = harness();
    await fill(h, 2);
    await expect(h.lifecycle.create(user(), external, 'req-no-wait')).rejects.toMatchObject({
      code: 'CAPACITY_EXHAUSTED',
      message: expect.stringContaining('waitForGpu'),
    });
    const queued = await h.lifecycle.create(user(), waiting, 'req-wait');
    expect(queued).toMatchObject({ status: SessionStatus.QUEUED, gpu_id: null, ssh_port: null });
    expect(queued.queued_at).toBeInstanceOf(Date);
    await h.lifecycle.settle();
    expect(await statusOf(queued.id)).toBe(SessionStatus.QUEUED);
    expect(h.runtime.containers.size).toBe(2);
    // With someone waiting, the refusal says so.
    await expect(h.lifecycle.create(user(), external, 'req-no-wait-2')).rejects.toMatchObject({
      code: 'CAPACITY_EXHAUSTED',
      message: expect.stringContaining('1 waiting'),
      extensions: { waiting: 1 },
    });
  });

  it('gives a freed GPU to the head of the queue, which starts as any session and is announced', async () => {
    await capacity(2);
    const h = harness();
    const running = await fill(h, 2);
    const first = await h.lifecycle.create(user(), waiting, 'req-q1');
    const second = await h.lifecycle.create(user(), waiting, 'req-q2');
    await h.lifecycle.settle();
    let places = await h.queue.places();
    expect([places.get(first.id)?.position, places.get(second.id)?.position]).toEqual([1, 2]);
    expect(places.get(first.id)?.estimatedStartAt).toBeInstanceOf(Date);

    await h.lifecycle.stop(running[0]!.actor, running[0]!.row.id);
    await h.lifecycle.settle();
    const promoted = await reload(first.id);
    expect(promoted.status).toBe(SessionStatus.RUNNING);
    expect(promoted.gpu_id).toBe(running[0]!.row.gpu_id);
    expect(promoted.ssh_port).not.toBeNull();
    expect(promoted.queued_at).toEqual(first.queued_at);
    places = await h.queue.places();
    expect(places.get(second.id)?.position).toBe(1);
    // Its events: queued, then a start as any other; the one behind heard its new place (announced again).
    const statuses = h.publisher.statusesOf(first.id);
    expect(statuses[0]).toBe('queued');
    expect(statuses.slice(-1)).toEqual(['running']);
    expect(h.publisher.statusesOf(second.id).filter((s) => s === 'queued').length).toBeGreaterThan(1);
  });

  it('tells the notification webhook when a session that waited has its GPU and runs', async () => {
    await capacity(1);
    const sent: SessionNotification[] = [];
    const identity = new InMemoryIdentity();
    const notices = new QueueStartNotices({ send: async (n) => void sent.push(n) }, identity, 'unit');
    const h = harness({ startedFromQueue: (row) => notices.started(row) });
    const [holder] = await fill(h, 1);
    const ada = {
      userId: identity.addUser({ email: 'ada@example.org', displayName: 'Ada', keys: [] }),
      role: 'user' as const,
      canUseInternal: false,
    };
    const queued = await h.lifecycle.create(ada, { ...waiting, name: 'nnunet-fold0' }, 'req-notice');
    await h.lifecycle.settle();
    expect(sent).toEqual([]); // the holder's start found its GPU free: no news for the webhook
    await h.lifecycle.stop(holder!.actor, holder!.row.id);
    await h.lifecycle.settle();
    expect(sent).toEqual([
      expect.objectContaining({
        event: 'session.started_from_queue',
        instance: 'unit',
        user: { id: ada.userId, email: 'ada@example.org', displayName: 'Ada' },
        session: { id: queued.id, slug: queued.slug, name: 'nnunet-fold0', exposure: 'EXTERNAL' },
        queue: { joinedAt: queued.queued_at!.toISOString(), waitedSeconds: expect.any(Number) },
        message: `Session "nnunet-fold0" (${queued.slug}) has its GPU and is running, after less than a minute in the queue.`,
      }),
    ]);
  });

  it('serves whoever used fewer GPU-hours this week first, ties by arrival', async () => {
    await capacity(1);
    const h = harness();
    const [holder] = await fill(h, 1);
    const heavy = user();
    const light = user();
    // Ten hours of GPU yesterday for `heavy`.
    const yesterday = new Date(Date.now() - 86_400_000);
    await knex('session_owners').insert({ user_id: heavy.userId }).onConflict('user_id').ignore();
    await knex('sessions').insert({
      id: randomUUID(),
      user_id: heavy.userId,
      exposure: 'external',
      pack_id: holder!.row.pack_id,
      gpu_id: 0,
      status: 'stopped',
      slug: 'heavyabc',
      workspace_zfs: 'w',
      started_at: new Date(yesterday.getTime() - 10 * 3_600_000),
      stopped_at: yesterday,
    });
    const heavyWaits = await h.lifecycle.create(heavy, waiting, 'req-heavy');
    const lightWaits = await h.lifecycle.create(light, waiting, 'req-light');
    await h.lifecycle.settle();
    const places = await h.queue.places();
    expect(places.get(lightWaits.id)?.position).toBe(1);
    expect(places.get(heavyWaits.id)?.position).toBe(2);
    await h.lifecycle.stop(holder!.actor, holder!.row.id);
    await h.lifecycle.settle();
    expect(await statusOf(lightWaits.id)).toBe(SessionStatus.RUNNING);
    expect(await statusOf(heavyWaits.id)).toBe(SessionStatus.QUEUED);
  });

  it('lets a user leave the queue at once; leaving twice is a conflict, stopping stays idempotent', async () => {
    await capacity(1);
    const h = harness();
    await fill(h, 1);
    const actor = user();
    const queued = await h.lifecycle.create(actor, waiting, 'req-leave');
    const left = await h.lifecycle.leaveQueue(actor, queued.id);
    expect(left).toMatchObject({ status: SessionStatus.STOPPED, stop_reason: 'left-queue', gpu_id: null });
    await expect(h.lifecycle.leaveQueue(actor, queued.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('is not waiting for a GPU (it is STOPPED)'),
    });
    await expect(h.lifecycle.leaveQueue(user(), queued.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const other = await h.lifecycle.create(actor, waiting, 'req-leave-2');
    expect((await h.lifecycle.stop(actor, other.id)).status).toBe(SessionStatus.STOPPED);
    expect((await h.lifecycle.stop(actor, other.id)).status).toBe(SessionStatus.STOPPED);
    await h.lifecycle.settle();
    expect(await h.queue.hasWaiting()).toBe(false);
  });

  it('caps the sessions one user may have waiting, and a user at their active limit cannot queue', async () => {
    await capacity(1);
    const h = harness({ maxActivePerUser: 1, maxQueuedPerUser: 1 });
    const [holder] = await fill(h, 1);
    const eager = user();
    await h.lifecycle.create(eager, waiting, 'req-cap-1');
    await expect(h.lifecycle.create(eager, waiting, 'req-cap-2')).rejects.toMatchObject({
      code: 'CONFLICT',
      extensions: { limit: 1 },
    });
    await expect(h.lifecycle.create(holder!.actor, waiting, 'req-cap-3')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('active session'),
    });
  });

  it('passes over a waiting user who reached their active limit meanwhile, for the next in line', async () => {
    await capacity(2);
    const h = harness({ maxActivePerUser: 1 });
    const [holder, other] = await fill(h, 2);
    const blocked = await insertQueued(holder!.actor.userId, new Date(Date.now() - 60_000));
    const next = await h.lifecycle.create(user(), waiting, 'req-next');
    await h.lifecycle.stop(other!.actor, other!.row.id);
    await h.lifecycle.settle();
    expect(await statusOf(blocked)).toBe(SessionStatus.QUEUED);
    expect(await statusOf(next.id)).toBe(SessionStatus.RUNNING);
  });

  it('hands seven GPUs freed at once to the first seven of ten, in order, never one GPU twice', async () => {
    const h = harness();
    const running = await fill(h, GPUS);
    const queued: SessionRow[] = [];
    for (let i = 0; i < 10; i++) queued.push(await h.lifecycle.create(user(), waiting, `req-ten-${i}`));
    await h.lifecycle.settle();
    await Promise.all(running.map(({ actor, row }) => h.lifecycle.stop(actor, row.id)));
    await h.lifecycle.settle();
    const statuses = await Promise.all(queued.map((row) => statusOf(row.id)));
    expect(statuses).toEqual([...Array(7).fill(SessionStatus.RUNNING), ...Array(3).fill(SessionStatus.QUEUED)]);
    const holders = await SessionRow.query(knex).where({ status: SessionStatus.RUNNING });
    expect(new Set(holders.map((r) => r.gpu_id)).size).toBe(GPUS);
    expect(new Set(holders.map((r) => r.ssh_port)).size).toBe(GPUS);
    const places = await h.queue.places();
    expect(queued.slice(7).map((row) => places.get(row.id)?.position)).toEqual([1, 2, 3]);
  });

  it('two session-runtimes promoting at once never give one GPU twice nor skip the head', async () => {
    await capacity(3);
    const a = harness();
    const b = harness();
    const running = await fill(a, 3);
    const queued: SessionRow[] = [];
    for (let i = 0; i < 5; i++) queued.push(await a.lifecycle.create(user(), waiting, `req-two-${i}`));
    await a.lifecycle.settle();
    // The sessions end behind both processes' backs; then both offer the free GPUs at once.
    await knex('sessions')
      .whereIn(
        'id',
        running.map((r) => r.row.id),
      )
      .update({ status: 'stopped', stopped_at: new Date() });
    const [fromA, fromB] = await Promise.all([a.queue.promote(), b.queue.promote()]);
    const promoted = [...fromA, ...fromB];
    expect(promoted.map((r) => r.id).sort()).toEqual(
      queued
        .slice(0, 3)
        .map((r) => r.id)
        .sort(),
    );
    expect(new Set(promoted.map((r) => r.gpu_id)).size).toBe(3);
  });

  it('keeps every place across a restart, and offers the GPUs freed meanwhile at the first recovery pass', async () => {
    await capacity(1);
    const before = harness();
    const [holder] = await fill(before, 1);
    const queued = await before.lifecycle.create(user(), waiting, 'req-restart');
    await before.lifecycle.settle();
    // The process is gone; the holder's session ends without it (its container is lost).
    await knex('sessions').where({ id: holder!.row.id }).update({ status: 'stopped', stopped_at: new Date() });
    const after = harness();
    await after.recovery.reconcile();
    await after.lifecycle.settle();
    expect(await statusOf(queued.id)).toBe(SessionStatus.RUNNING);
  });

  it('puts a promoted session back in its place when the process died before its start began', async () => {
    await capacity(1);
    const h = harness();
    const [holder] = await fill(h, 1);
    const first = await h.lifecycle.create(user(), waiting, 'req-crash-1');
    const second = await h.lifecycle.create(user(), waiting, 'req-crash-2');
    await h.lifecycle.settle();
    await knex('sessions').where({ id: holder!.row.id }).update({ status: 'stopped', stopped_at: new Date() });
    // The promotion commits, and the process dies before provisioning the session.
    const [promoted] = await h.queue.promote();
    expect(promoted).toMatchObject({ id: first.id, status: SessionStatus.STARTING, start_phase: 'allocating' });
    await capacity(0); // the GPU is taken out of service meanwhile: nothing to hand out after the restart
    const restarted = harness();
    await restarted.recovery.reconcile();
    await restarted.lifecycle.settle();
    expect(await reload(first.id)).toMatchObject({ status: SessionStatus.QUEUED, gpu_id: null, ssh_port: null });
    const places = await restarted.queue.places();
    expect([places.get(first.id)?.position, places.get(second.id)?.position]).toEqual([1, 2]);
  });

  it('lets a start that may not wait take a GPU the queue cannot use (its only user is at their limit)', async () => {
    await capacity(2);
    const h = harness({ maxActivePerUser: 1 });
    const [holder] = await fill(h, 1);
    const blocked = await insertQueued(holder!.actor.userId, new Date());
    const passer = await h.lifecycle.create(user(), external, 'req-pass');
    await h.lifecycle.settle();
    expect(await statusOf(passer.id)).toBe(SessionStatus.RUNNING);
    expect(await statusOf(blocked)).toBe(SessionStatus.QUEUED);
  });
});
