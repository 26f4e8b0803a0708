import { type Clock, type SessionRoute, systemClock } from '@medforge/shared-schema';

import type { SessionRouteSource } from './session-route-source';

interface Entry {
  route: SessionRoute | null;
  freshUntil: number;
}

interface Lookup {
  promise: Promise<SessionRoute | null>;
  /** Set when an event for the slug arrives while the lookup is in flight: its answer may predate it. */
  stale: boolean;
}

export interface SessionRouteCacheOptions {
  /** Safety net only: session events drop entries the moment a session changes. */
  ttlMs: number;
  /** Unknown slugs, so a flood of made-up host names is not a flood of lookups. */
  negativeTtlMs: number;
  maxEntries: number;
}

/**
 * Slug → route for the forward-auth endpoint, so a proxied request costs no subgraph round trip.
 * Session events invalidate entries; concurrent misses share one lookup, and a lookup overtaken by an
 * event is answered but not remembered.
 */
export class SessionRouteCache {
  private readonly entries = new Map<string, Entry>();
  private readonly lookups = new Map<string, Lookup>();

  constructor(
    private readonly source: SessionRouteSource,
    private readonly options: SessionRouteCacheOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The cached route while it is fresh, without a lookup; undefined when there is none. */
  peek(slug: string): SessionRoute | null | undefined {
    const cached = this.entries.get(slug);
    return cached && cached.freshUntil > this.clock.now().getTime() ? cached.route : undefined;
  }

  async get(slug: string, requestId: string): Promise<SessionRoute | null> {
    const now = this.clock.now().getTime();
    const cached = this.entries.get(slug);
    if (cached && cached.freshUntil > now) return cached.route;
    const inFlight = this.lookups.get(slug);
    if (inFlight) return await inFlight.promise;

    const lookup: Lookup = { promise: this.source.lookup(slug, requestId), stale: false };
    this.lookups.set(slug, lookup);
    try {
      const route = await lookup.promise;
      if (!lookup.stale) this.remember(slug, route, now);
      return route;
    } finally {
      if (this.lookups.get(slug) === lookup) this.lookups.delete(slug);
    }
  }

  invalidate(slug: string): void {
    this.entries.delete(slug);
    const inFlight = this.lookups.get(slug);
    if (inFlight) {
      inFlight.stale = true;
      this.lookups.delete(slug);
    }
  }

  /** After the event stream was interrupted: anything cached may have missed its invalidation. */
  clear(): void {
    this.entries.clear();
    for (const lookup of this.lookups.values()) lookup.stale = true;
    this.lookups.clear();
  }

  private remember(slug: string, route: SessionRoute | null, now: number): void {
    if (this.entries.size >= this.options.maxEntries) {
      // Oldest insertion first: Map iteration order is insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(slug, {
      route,
      freshUntil: now + (route ? this.options.ttlMs : this.options.negativeTtlMs),
    });
  }
}
