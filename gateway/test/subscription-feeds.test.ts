import { type Actor, createLogger } from '@medforge/shared-schema';

import { Authenticator, type CredentialResolver } from '../src/auth/authenticator';
import type { Credential } from '../src/auth/credential';
import { ConnectionIdentities, ConnectionIdentity } from '../src/subscriptions/connection-identity';
import type { EventSource } from '../src/events/event-channels';
import { type Delivery, type FeedChoice, SubscriptionFeeds } from '../src/subscriptions/feeds';

/**
 * The fan-out's logic with in-memory parts (events, identity): who shares an execution, coalescing,
 * backpressure, and what happens when a connection's identity changes. The real-stack tests
 * (integration-tests/test/subscriptions.test.ts, submissions.test.ts) prove it through the gateway.
 */

const logger = createLogger('gateway-test', 'silent');

class Events<E> implements EventSource<E> {
  private readonly listeners = new Set<(event: E) => void>();
  listen(listener: (event: E) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: E) {
    for (const listener of this.listeners) listener(event);
  }
  get listening() {
    return this.listeners.size;
  }
}

/** Identity as an in-memory table of credentials; `answers` can be changed (a logout, a role change). */
class Identity implements CredentialResolver {
  readonly answers = new Map<string, Actor | null>();
  calls = 0;
  resolve(credential: Credential) {
    this.calls += 1;
    const actor = this.answers.get(credential.hash) ?? null;
    return Promise.resolve(actor ? { actor, expiresAt: null } : null);
  }
}

const ada: Actor = { userId: 'u-ada', role: 'user', canUseInternal: false, loginSessionId: 'l-ada' };
const bob: Actor = { userId: 'u-bob', role: 'user', canUseInternal: false, loginSessionId: 'l-bob' };

interface Scored {
  n: number;
}

async function setup() {
  const identity = new Identity();
  identity.answers.set('ada', ada);
  identity.answers.set('bob', bob);
  const authenticator = new Authenticator(identity, 60_000, logger);
  const identities = new ConnectionIdentities();
  const connect = async (hash: string | null) => {
    const connection = await ConnectionIdentity.establish(hash ? { kind: 'login', hash } : null, authenticator);
    identities.add(connection);
    return connection;
  };
  const feeds = new SubscriptionFeeds(logger, { maxQueued: 3 });
  const events = new Events<Scored>();
  const resolved: Array<{ n: number; as: string }> = [];
  /** A feed per actor (a selection with per-viewer fields), or one for all (`shared`). */
  const choose =
    (shared: boolean, coalesceMs?: number) =>
    (actor: Actor | null): FeedChoice<Scored> => {
      const as = shared ? null : actor;
      return {
        key: JSON.stringify(['board', as?.userId ?? null, as?.role ?? null]),
        source: events,
        accepts: () => true,
        resolve: (event) => {
          resolved.push({ n: event.n, as: as?.userId ?? 'anonymous' });
          return Promise.resolve({ payload: { n: event.n, viewer: as?.userId ?? null, role: as?.role ?? null } });
        },
        ...(coalesceMs === undefined ? {} : { coalesceMs }),
      };
    };
  return { identity, authenticator, identities, connect, feeds, events, resolved, choose };
}

async function take(stream: AsyncIterableIterator<Delivery>, count: number): Promise<unknown[]> {
  const out: unknown[] = [];
  while (out.length < count) {
    const next = await stream.next();
    if (next.done) break;
    out.push('payload' in next.value ? next.value.payload : { error: next.value.error.message });
  }
  return out;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('subscription feeds', () => {
  it('resolves each event once for subscribers with the same selection and authorization', async () => {
    const { connect, feeds, events, resolved, choose } = await setup();
    const noop = () => undefined;
    const watchers = [];
    for (const hash of [null, null, 'ada', 'bob']) {
      watchers.push(feeds.subscribe(await connect(hash), choose(true), noop));
    }
    expect(feeds.stats()).toEqual({ feeds: 1, members: 4 });
    events.emit({ n: 1 });
    events.emit({ n: 2 });
    for (const watcher of watchers)
      expect(await take(watcher, 2)).toEqual([
        { n: 1, viewer: null, role: null },
        { n: 2, viewer: null, role: null },
      ]);
    expect(resolved).toEqual([
      { n: 1, as: 'anonymous' },
      { n: 2, as: 'anonymous' },
    ]);
  });

  it('never shares a payload between different authorizations', async () => {
    const { connect, feeds, events, resolved, choose } = await setup();
    const noop = () => undefined;
    const adaTabs = [await connect('ada'), await connect('ada')];
    const adaStreams = adaTabs.map((tab) => feeds.subscribe(tab, choose(false), noop));
    const bobStream = feeds.subscribe(await connect('bob'), choose(false), noop);
    const anonymousStream = feeds.subscribe(await connect(null), choose(false), noop);
    expect(feeds.stats()).toEqual({ feeds: 3, members: 4 });
    events.emit({ n: 7 });
    for (const stream of adaStreams) expect(await take(stream, 1)).toEqual([{ n: 7, viewer: 'u-ada', role: 'user' }]);
    expect(await take(bobStream, 1)).toEqual([{ n: 7, viewer: 'u-bob', role: 'user' }]);
    expect(await take(anonymousStream, 1)).toEqual([{ n: 7, viewer: null, role: null }]);
    expect(resolved.map((r) => r.as).sort()).toEqual(['anonymous', 'u-ada', 'u-bob']);
  });

  it('coalesces a burst into its latest state, delivering the first at once and the last after the window', async () => {
    const { connect, feeds, events, resolved, choose } = await setup();
    const stream = feeds.subscribe(await connect(null), choose(true, 50), () => undefined);
    events.emit({ n: 1 });
    expect(await take(stream, 1)).toEqual([{ n: 1, viewer: null, role: null }]);
    for (let n = 2; n <= 20; n++) events.emit({ n });
    // Nothing but the burst's last state arrives, one window later.
    expect(await take(stream, 1)).toEqual([{ n: 20, viewer: null, role: null }]);
    expect(resolved.map((r) => r.n)).toEqual([1, 20]);
  });

  it('delivers every event in order when not coalescing, and drops a client that falls too far behind', async () => {
    const { connect, feeds, events, choose } = await setup();
    const dropped: string[] = [];
    const slow = feeds.subscribe(await connect('ada'), choose(false), (reason) => dropped.push(reason));
    const keeping = feeds.subscribe(await connect('ada'), choose(false), () => undefined);
    events.emit({ n: 1 });
    events.emit({ n: 2 });
    expect(await take(keeping, 2)).toEqual([
      { n: 1, viewer: 'u-ada', role: 'user' },
      { n: 2, viewer: 'u-ada', role: 'user' },
    ]);
    events.emit({ n: 3 });
    events.emit({ n: 4 });
    await settle();
    expect(dropped).toEqual(['3 updates waiting for this client']);
    expect(await take(slow, 3)).toEqual([1, 2, 3].map((n) => ({ n, viewer: 'u-ada', role: 'user' })));
  });

  it('moves a subscriber whose role changed to its new feed, and ends one whose login ended', async () => {
    const { identity, authenticator, identities, connect, feeds, events, choose } = await setup();
    const adaConnection = await connect('ada');
    const bobConnection = await connect('bob');
    const refuseAnonymous = (actor: Actor | null): FeedChoice<Scored> =>
      actor ? choose(false)(actor) : { refusal: new Error('Your login ended') };
    const adas = feeds.subscribe(adaConnection, refuseAnonymous, () => undefined);
    const bobs = feeds.subscribe(bobConnection, refuseAnonymous, () => undefined);

    identity.answers.set('ada', { ...ada, role: 'admin' });
    identity.answers.set('bob', null);
    for (const message of [{ userId: 'u-ada' }, { userId: 'u-bob', loginSessionId: 'l-bob' }]) {
      authenticator.invalidate(message);
      identities.invalidate(message);
    }
    await settle();
    expect(adaConnection.actor?.role).toBe('admin');
    expect(await take(bobs, 2)).toEqual([{ error: 'Your login ended' }]);
    events.emit({ n: 5 });
    expect(await take(adas, 1)).toEqual([{ n: 5, viewer: 'u-ada', role: 'admin' }]);
    expect(feeds.stats()).toEqual({ feeds: 1, members: 1 });
    await adas.return!();
    expect(feeds.stats()).toEqual({ feeds: 0, members: 0 });
    expect(events.listening).toBe(0);
  });

  it('ends delivery once a login expires, found by the sweep without any invalidation', async () => {
    const identity = new Identity();
    identity.answers.set('ada', ada);
    const authenticator = new Authenticator(identity, 20, logger); // answers stay fresh for 20 ms
    const identities = new ConnectionIdentities();
    const connection = await ConnectionIdentity.establish({ kind: 'login', hash: 'ada' }, authenticator);
    identities.add(connection);
    const { feeds, choose } = await setup();
    const stream = feeds.subscribe(
      connection,
      (actor): FeedChoice<Scored> => (actor ? choose(false)(actor) : { refusal: new Error('Your login ended') }),
      () => undefined,
    );
    identity.answers.set('ada', null); // the login expired: identity no longer knows it
    await new Promise((resolve) => setTimeout(resolve, 30));
    identities.sweep();
    expect(await take(stream, 2)).toEqual([{ error: 'Your login ended' }]);
  });

  it('asks identity once for many connections with one credential, not once per event', async () => {
    const { identity, connect, feeds, events, choose } = await setup();
    const streams = await Promise.all(
      Array.from({ length: 20 }, async () => feeds.subscribe(await connect('ada'), choose(false), () => undefined)),
    );
    for (let n = 0; n < 3; n++) events.emit({ n });
    for (const stream of streams) expect(await take(stream, 3)).toHaveLength(3);
    expect(identity.calls).toBe(1);
  });
});
