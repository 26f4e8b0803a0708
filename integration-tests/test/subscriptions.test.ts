import { SESSION_EVENTS_CHANNEL } from '@medforge/shared-schema';
import type { Client } from 'graphql-ws';
import Redis from 'ioredis';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { collect, untilSubscribed, wsClient } from '../testkit/graphql-ws';
import { devPackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { untilTrue } from '../testkit/wait';
import { makeAdmin } from '../testkit/seed';

const SESSION_UPDATED = `subscription OnSession { sessionUpdated { id status slug user { displayName } pack { name } } }`;

describe('sessionUpdated over graphql-ws through the gateway', () => {
  let stack: TestStack;
  let ada: ApiClient;
  let bob: ApiClient;
  let adaSessionId: string;
  const clients: Client[] = [];
  const open = (cookie: string | null, origin?: string) => {
    const client = wsClient(stack.gateway.url, cookie, origin);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    stack = await startTestStack({ MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(), SESSION_STOP_GRACE_SECONDS: '1' });
    ada = new ApiClient(stack.gateway.url);
    bob = new ApiClient(stack.gateway.url);
    await ada.request('POST', '/api/v2/auth/signup', {
      email: uniqueEmail('ada'),
      password: 'correct horse battery',
      display_name: 'Ada',
    });
    await bob.signUp(uniqueEmail('bob'));
  }, 600_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await stack?.stop();
  });

  it('delivers every transition of my session, with fields from other subgraphs, and nothing to others', async () => {
    const subscribedBefore = stack.gateway.subscriptionStats().members;
    const mine = collect(open(ada.cookie), SESSION_UPDATED);
    const theirs = collect(open(bob.cookie), SESSION_UPDATED);
    await untilSubscribed(stack.gateway, subscribedBefore, 2);
    const created = await ada.post('/api/v2/external/sessions');
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    adaSessionId = id;
    await untilTrue('RUNNING event', 90_000, () => mine.events.some((e) => e.sessionUpdated.status === 'RUNNING'));
    expect((await ada.post(`/api/v2/external/sessions/${id}/stop`)).status).toBe(202);
    await untilTrue('STOPPED event', 60_000, () => mine.events.some((e) => e.sessionUpdated.status === 'STOPPED'));
    expect(mine.errors).toEqual([]);
    // One event per change: the start, its three phases (WORKSPACE, CONTAINER, CODE_SERVER), RUNNING, STOPPING,
    // STOPPED. Each carries the session as it is when delivered, so a quick phase may already read RUNNING.
    const statuses = mine.events.map((e) => e.sessionUpdated.status as string);
    expect(statuses).toHaveLength(7);
    expect(statuses.filter((status, i) => status !== statuses[i - 1])).toEqual([
      'STARTING',
      'RUNNING',
      'STOPPING',
      'STOPPED',
    ]);
    expect(mine.events[0].sessionUpdated).toMatchObject({
      id,
      user: { displayName: 'Ada' },
      pack: { name: 'default' },
    });
    expect(theirs.events).toEqual([]);
    mine.stop();
    theirs.stop();
    await untilTrue(
      'subscriptions ended',
      10_000,
      () => stack.gateway.subscriptionStats().members === subscribedBefore,
    );
  }, 180_000);

  it("skips events it cannot resolve (another deployment's, a deleted session) instead of ending the stream", async () => {
    const admin = new ApiClient(stack.gateway.url);
    const adminId = await admin.signUp(uniqueEmail('sub-admin'));
    await makeAdmin(stack, adminId);
    const subscribedBefore = stack.gateway.subscriptionStats().members;
    const everything = collect(open(admin.cookie), SESSION_UPDATED);
    await untilSubscribed(stack.gateway, subscribedBefore, 1);
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0');
    try {
      const event = (sessionId: string, status: string) =>
        JSON.stringify({
          sessionId,
          userId: crypto.randomUUID(),
          slug: 'zzzzzzzz',
          status,
          at: new Date().toISOString(),
        });
      // Admins receive every event on the channel, including ones this deployment has no row for.
      await redis.publish(SESSION_EVENTS_CHANNEL, event(crypto.randomUUID(), 'running'));
      await redis.publish(SESSION_EVENTS_CHANNEL, event(adaSessionId, 'stopped'));
      await untilTrue('the real event', 10_000, () => everything.events.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      redis.disconnect();
    }
    expect(everything.errors).toEqual([]);
    expect(everything.events.map((e) => [e.sessionUpdated.id, e.sessionUpdated.status])).toEqual([
      [adaSessionId, 'STOPPED'],
    ]);
    everything.stop();
  });

  it('refuses anonymous subscribers, foreign origins and queries over the socket', async () => {
    const anonymous = collect(open(null), SESSION_UPDATED);
    await untilTrue('anonymous error', 10_000, () => anonymous.errors.length > 0);
    expect(anonymous.errors[0].extensions?.code ?? anonymous.errors[0].message).toMatch(/UNAUTHENTICATED|Sign in/);

    const foreign = collect(open(ada.cookie, 'https://evil.example'), SESSION_UPDATED);
    await untilTrue('foreign origin refused', 10_000, () => foreign.errors.length > 0);
    expect(foreign.events).toEqual([]);

    const query = collect(open(ada.cookie), '{ competitions { slug } }');
    await untilTrue('query refused', 10_000, () => query.errors.length > 0);
    expect(query.errors[0].message).toMatch(/Only subscriptions are served over websocket/);
  });
});
