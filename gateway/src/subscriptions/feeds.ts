import type { Actor, Logger } from '@medforge/shared-schema';
import { GraphQLError } from 'graphql';

import type { ConnectionIdentity } from './connection-identity';
import type { EventSource } from '../events/event-channels';

/** What one event resolves to for a subscriber: the payload, or an error that event carries. */
export type Delivery = { payload: unknown } | { error: Error };

/**
 * A stream of payloads that every member would get identically: same subscription field and arguments,
 * same selection and variables, same authorization (`key` says all of that). Each event is resolved once
 * for all members.
 */
export interface FeedSpec<E> {
  key: string;
  source: EventSource<E>;
  /** Whether an event concerns the feed (as the members' authorization, which `key` includes). */
  accepts(event: E): boolean;
  /** The one federated execution for every member; null skips the event. */
  resolve(event: E): Promise<Delivery | null>;
  /**
   * Refresh at most every `coalesceMs` and deliver only the latest state (a leaderboard); without it
   * every event is delivered, in order (status transitions).
   */
  coalesceMs?: number;
}

/** A spec for the subscriber as its connection is now, or the error that ends (or refuses) it. */
export type FeedChoice<E> = FeedSpec<E> | { refusal: Error };

export interface FeedLimits {
  /** Most deliveries an ordered subscriber may have waiting; a client further behind is dropped. */
  maxQueued: number;
}

/**
 * Where subscriptions share their executions. A feed exists while it has members and listens to its
 * event source only then; members whose connection's identity changes move to the feed of their new
 * authorization (or end, when they may no longer subscribe).
 */
export class SubscriptionFeeds {
  private readonly feeds = new Map<string, Feed<unknown>>();

  constructor(
    private readonly logger: Logger,
    private readonly limits: FeedLimits,
  ) {}

  /**
   * A subscriber's deliveries. `choose` is asked now and after every change of the connection's actor;
   * its refusal now is thrown (the subscription is refused), later it is the subscriber's last delivery.
   */
  subscribe<E>(
    identity: ConnectionIdentity,
    choose: (actor: Actor | null) => FeedChoice<E>,
    dropSlowConsumer: (reason: string) => void,
  ): AsyncIterableIterator<Delivery> {
    const first = choose(identity.actor);
    if ('refusal' in first) throw first.refusal;
    const member = new Member(this.limits.maxQueued, dropSlowConsumer);
    let feed = this.join(first, member);
    const stopWatching = identity.onChange(() => {
      const next = choose(identity.actor);
      if ('refusal' in next) member.finish({ error: next.refusal });
      else if (next.key !== feed.spec.key) {
        this.leave(feed, member);
        feed = this.join(next, member);
      }
    });
    member.onReturn(() => {
      stopWatching();
      this.leave(feed, member);
    });
    return member;
  }

  /** How many feeds and members there are (for tests and benchmarks). */
  stats(): { feeds: number; members: number } {
    let members = 0;
    for (const feed of this.feeds.values()) members += feed.members.size;
    return { feeds: this.feeds.size, members };
  }

  private join<E>(spec: FeedSpec<E>, member: Member): Feed<E> {
    let feed = this.feeds.get(spec.key) as Feed<E> | undefined;
    if (!feed) {
      feed = new Feed(spec, this.logger);
      this.feeds.set(spec.key, feed as Feed<unknown>);
    }
    feed.members.add(member);
    return feed;
  }

  private leave<E>(feed: Feed<E>, member: Member): void {
    feed.members.delete(member);
    if (feed.members.size === 0 && this.feeds.get(feed.spec.key) === feed) {
      feed.close();
      this.feeds.delete(feed.spec.key);
    }
  }
}

/** Most events an ordered feed holds while its executions lag behind; older ones are dropped. */
const MAX_FEED_BACKLOG = 1_000;

class Feed<E> {
  readonly members = new Set<Member>();
  private readonly stopListening: () => void;
  private readonly backlog: E[] = [];
  private draining = false;
  /** Coalesced feeds: the newest event not yet resolved, and when the last refresh started. */
  private latest: E | null = null;
  private lastRunAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly spec: FeedSpec<E>,
    private readonly logger: Logger,
  ) {
    this.stopListening = spec.source.listen((event) => this.onEvent(event));
  }

  close(): void {
    this.closed = true;
    this.stopListening();
    if (this.timer) clearTimeout(this.timer);
  }

  private onEvent(event: E): void {
    if (!this.spec.accepts(event)) return;
    if (this.spec.coalesceMs === undefined) {
      if (this.backlog.length >= MAX_FEED_BACKLOG) {
        this.backlog.shift();
        this.logger.warn(
          { feed: this.spec.key.slice(0, 80) },
          'subscription feed fell behind; dropped its oldest event',
        );
      }
      this.backlog.push(event);
      void this.drain();
      return;
    }
    this.latest = event;
    this.schedule();
  }

  /** Ordered: one execution at a time, each event in turn. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (!this.closed && this.backlog.length > 0) await this.resolveAndDeliver(this.backlog.shift()!);
    } finally {
      this.draining = false;
    }
  }

  /**
   * Coalesced: the first event of a quiet period is resolved at once; events arriving within `coalesceMs`
   * of a refresh (or during one) wait for the next, which resolves the newest state, so the last update of
   * a burst is never lost.
   */
  private schedule(): void {
    if (this.draining || this.timer || this.closed) return;
    const wait = this.lastRunAt + this.spec.coalesceMs! - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, wait);
      return;
    }
    const event = this.latest;
    if (event === null) return;
    this.latest = null;
    this.lastRunAt = Date.now();
    this.draining = true;
    void this.resolveAndDeliver(event).finally(() => {
      this.draining = false;
      if (this.latest !== null) this.schedule();
    });
  }

  private async resolveAndDeliver(event: E): Promise<void> {
    let delivery: Delivery | null;
    try {
      delivery = await this.spec.resolve(event);
    } catch (error) {
      this.logger.error({ err: error }, 'resolving a subscription event failed');
      delivery = { error: new GraphQLError('Internal error', { extensions: { code: 'INTERNAL' } }) };
    }
    if (!delivery || this.closed) return;
    const latestOnly = this.spec.coalesceMs !== undefined;
    for (const member of this.members) member.push(delivery, latestOnly);
  }
}

/**
 * One subscription's mailbox, read by graphql-ws as an async iterator. It waits for the client's socket
 * to take each message before asking for the next, so a slow client's deliveries queue here: bounded, and
 * a client that falls further behind is dropped instead of growing the gateway's memory.
 */
class Member implements AsyncIterableIterator<Delivery> {
  private readonly queue: Delivery[] = [];
  private wake: (() => void) | null = null;
  private done = false;
  private last: Delivery | null = null;
  private readonly returnListeners: Array<() => void> = [];

  constructor(
    private readonly maxQueued: number,
    private readonly dropSlowConsumer: (reason: string) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<Delivery> {
    return this;
  }

  /** Adds a delivery; `latestOnly` replaces what is waiting (a newer state supersedes an older one). */
  push(delivery: Delivery, latestOnly: boolean): void {
    if (this.done) return;
    if (latestOnly) this.queue.length = 0;
    if (this.queue.length >= this.maxQueued) {
      this.dropSlowConsumer(`${this.queue.length} updates waiting for this client`);
      return;
    }
    this.queue.push(delivery);
    this.wake?.();
  }

  /** Ends the subscription after delivering `last`. */
  finish(last: Delivery): void {
    this.last = last;
    this.end();
  }

  onReturn(listener: () => void): void {
    this.returnListeners.push(listener);
  }

  async next(): Promise<IteratorResult<Delivery>> {
    while (!this.done && this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (this.queue.length > 0) return { done: false, value: this.queue.shift()! };
    if (this.last) {
      const last = this.last;
      this.last = null;
      return { done: false, value: last };
    }
    return { done: true, value: undefined };
  }

  return(): Promise<IteratorResult<Delivery>> {
    this.queue.length = 0;
    this.last = null;
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    for (const listener of this.returnListeners.splice(0)) listener();
    this.wake?.();
  }
}
