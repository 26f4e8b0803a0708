import type { Client } from 'graphql-ws';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { signedUpAdmin, signedUpUser, type SignedIn, startRunningSession } from '../testkit/flows';
import { collect, type Collected, untilSubscribed, wsClient } from '../testkit/graphql-ws';
import { devPackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until, untilTrue } from '../testkit/wait';

const GPUS = 7;
const WAITING = 10;
const SESSION_UPDATED = 'subscription { sessionUpdated { id status queuePosition estimatedStartAt gpu { index } } }';
const SESSION_QUERY = 'query($id: ID!) { session(id: $id) { id status queuePosition gpu { index } } }';

/**
 * The GPU queue through the whole platform with real containers: seven GPUs busy, ten users waiting.
 * GPUs are freed one at a time; each goes to the head of the queue (everyone here has used no GPU time,
 * so the order is arrival), no GPU is ever held twice, and every waiting user hears their place move over
 * their own sessionUpdated subscription. The queue's logic in depth (fairness, caps, races, crashes):
 * subgraphs/session-runtime/test/integration/session-queue.test.ts.
 */
describe('waiting for a GPU, through the API with real sessions', () => {
  let stack: TestStack;
  const clients: Client[] = [];
  const subscriptions: Collected[] = [];

  beforeAll(async () => {
    stack = await startTestStack({
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      SESSION_STOP_GRACE_SECONDS: '1',
      SESSIONS_MAX_QUEUED_PER_USER: '1',
    });
  }, 60_000);

  afterAll(async () => {
    for (const s of subscriptions) s.stop();
    for (const c of clients) await c.dispose();
    await stack?.stop();
  });

  const sessionOf = async (user: SignedIn, id: string) =>
    (await user.client.graphql(SESSION_QUERY, { id })).body.data.session as {
      status: string;
      queuePosition: number | null;
      gpu: { index: number } | null;
    };

  it('queues ten users behind seven busy GPUs and hands each freed GPU to the head, in order, live', async () => {
    const holders: Array<{ user: SignedIn; id: string }> = [];
    await Promise.all(
      Array.from({ length: GPUS }, async (_, i) => {
        const user = await signedUpUser(stack, `holder${i}`);
        holders.push({ user, id: (await startRunningSession(user.client, 180_000)).id });
      }),
    );

    // Without asking to wait, a start is refused; asking, it queues with its place.
    const refused = await signedUpUser(stack, 'refused');
    const refusal = await refused.client.post('/api/v2/external/sessions');
    expect(refusal.status).toBe(503);
    expect(refusal.body).toMatchObject({ code: 'CAPACITY_EXHAUSTED' });

    const waiting: Array<{ user: SignedIn; id: string; events: Collected }> = [];
    for (let i = 0; i < WAITING; i++) {
      const user = await signedUpUser(stack, `waiter${i}`);
      const ws = wsClient(stack.gateway.url, user.client.cookie);
      clients.push(ws);
      const before = stack.gateway.subscriptionStats().members;
      const events = collect(ws, SESSION_UPDATED);
      subscriptions.push(events);
      await untilSubscribed(stack.gateway, before, 1);
      const created = await user.client.post('/api/v2/external/sessions', { wait_for_gpu: true });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ status: 'QUEUED', queue_position: i + 1, ssh_port: null });
      expect(Date.parse(created.body.data.estimated_start_at)).toBeGreaterThan(Date.now() - 60_000);
      waiting.push({ user, id: created.body.data.id, events });
    }
    // A second place for the same user is over the cap.
    const again = await waiting[0]!.user.client.post('/api/v2/external/sessions', { wait_for_gpu: true });
    expect(again.status).toBe(409);

    // Free the GPUs one at a time: first the holders', then those of the first promoted sessions.
    const releasers = [...holders];
    for (let freed = 0; freed < WAITING; freed++) {
      const releaser = releasers.shift()!;
      const asked = await releaser.user.client.post(`/api/v2/external/sessions/${releaser.id}/stop`);
      expect(asked.status).toBe(202);
      const head = waiting[freed]!;
      await until(`waiter ${freed} promoted`, 120_000, async () => {
        const session = await sessionOf(head.user, head.id);
        if (session.status === 'ERROR') throw new Error(`waiter ${freed} failed to start`);
        return session.status === 'RUNNING' ? true : undefined;
      });
      // Nobody behind the head got ahead of it.
      for (const behind of waiting.slice(freed + 1)) {
        expect((await sessionOf(behind.user, behind.id)).status).toBe('QUEUED');
      }
      if (freed + 1 < WAITING) {
        const next = waiting[freed + 1]!;
        await untilTrue(`waiter ${freed + 1} hears it is next`, 30_000, () =>
          next.events.events.some((e) => e.sessionUpdated.id === next.id && e.sessionUpdated.queuePosition === 1),
        );
      }
      releasers.push(head);
      // Never one GPU for two active sessions.
      const held = await stack.sessionRuntime
        .knex('sessions')
        .whereIn('status', ['starting', 'running', 'stopping'])
        .pluck('gpu_id');
      expect(new Set(held).size).toBe(held.length);
    }

    // Every waiting user saw their own place count down to 1, then their start, and nobody else's session.
    for (const [i, w] of waiting.entries()) {
      const mine = w.events.events.map((e) => e.sessionUpdated).filter((s) => s.id === w.id);
      expect(w.events.events.every((e) => e.sessionUpdated.id === w.id)).toBe(true);
      const places = mine.filter((s) => s.status === 'QUEUED').map((s) => s.queuePosition as number);
      expect(places[0]).toBe(i + 1);
      expect(places.at(-1)).toBe(1);
      expect(places).toEqual([...places].sort((a, b) => b - a));
      // After its last place: its start, as any session's (the first ones were later stopped to free GPUs).
      const statuses = mine.map((s) => s.status as string);
      const after = statuses.slice(statuses.lastIndexOf('QUEUED') + 1);
      expect(after[0]).toBe('STARTING');
      expect(after).toContain('RUNNING');
      expect(w.events.errors).toEqual([]);
    }
    // The sessions still running end, and every GPU is free again.
    await Promise.all(releasers.map((r) => r.user.client.post(`/api/v2/external/sessions/${r.id}/stop`)));
    await until('every GPU free', 60_000, async () => {
      const { body } = await refused.client.graphql('{ gpuAvailability { free } }');
      return body.data.gpuAvailability.free === GPUS ? true : undefined;
    });
  }, 600_000);

  it('lets a waiting user leave the queue at once, and says so when they try again', async () => {
    // Every GPU out of service for a moment: whatever starts now waits.
    await stack.sessionRuntime.knex('gpu_devices').update({ enabled: false });
    const user = await signedUpUser(stack, 'leaver');
    const created = await user.client.post('/api/v2/external/sessions', { wait_for_gpu: true });
    expect(created.body.data.status).toBe('QUEUED');
    const id = created.body.data.id as string;
    const left = await user.client.graphql('mutation($id: ID!) { leaveSessionQueue(id: $id) { status stopReason } }', {
      id,
    });
    expect(left.body.data.leaveSessionQueue).toEqual({ status: 'STOPPED', stopReason: 'LEFT_QUEUE' });
    const twice = await user.client.graphql('mutation($id: ID!) { leaveSessionQueue(id: $id) { status } }', { id });
    expect(twice.body.errors[0].extensions.code).toBe('CONFLICT');
    const stranger = new ApiClient(stack.gateway.url);
    await stranger.signUp(uniqueEmail('stranger-queue'));
    const theirs = await stranger.graphql('mutation($id: ID!) { leaveSessionQueue(id: $id) { status } }', { id });
    expect(theirs.body.errors[0].extensions.code).toBe('NOT_FOUND');
    await stack.sessionRuntime.knex('gpu_devices').update({ enabled: true });
  });

  it("shows each user their own GPU hours, administrators everyone's, and nobody else", async () => {
    const MY_USAGE = '{ myUsage(period: DAY) { period buckets { gpuHours sessions } budget { hoursPerWeek } } }';
    const ran = await signedUpUser(stack, 'usage');
    const session = await startRunningSession(ran.client, 120_000);
    await ran.client.post(`/api/v2/external/sessions/${session.id}/stop`);
    const mine = (await ran.client.graphql(MY_USAGE)).body.data.myUsage;
    expect(mine.period).toBe('DAY');
    expect(mine.budget).toBeNull();
    expect(mine.buckets).toEqual([{ gpuHours: expect.any(Number), sessions: 1 }]);
    expect(mine.buckets[0].gpuHours).toBeGreaterThan(0);

    const REPORT = '{ gpuUsage(period: WEEK) { users { user { id email } gpuHours sessions } } }';
    const refused = await ran.client.graphql(REPORT);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const admin = await signedUpAdmin(stack, 'usage-admin');
    const report = (await admin.client.graphql(REPORT)).body.data.gpuUsage.users as Array<{
      user: { id: string; email: string };
      sessions: number;
    }>;
    expect(report.find((row) => row.user.id === ran.userId)).toMatchObject({ user: { email: ran.email }, sessions: 1 });
    const anonymous = await new ApiClient(stack.gateway.url).graphql(MY_USAGE);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
