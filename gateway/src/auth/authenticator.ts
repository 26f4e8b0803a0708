import type { Actor, AuthInvalidation, Logger } from '@medforge/shared-schema';

import type { IdentityClient } from './identity-client';

interface CacheEntry {
  actor: Actor | null;
  /** Epoch ms after which identity is asked again. */
  freshUntil: number;
}

const MAX_ENTRIES = 10_000;
/** Unknown or revoked tokens are remembered briefly so a flood of bad cookies is not a flood of queries. */
const NEGATIVE_TTL_MS = 5_000;

/**
 * Turns a session cookie into an actor once per request, from a short in-process cache. Logouts,
 * disables and entitlement changes arrive as invalidations and drop entries immediately; the TTL bounds
 * staleness if one is missed. A login never stays cached past its own expiry.
 */
export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly identity: IdentityClient,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  async authenticate(tokenHash: string, requestId: string): Promise<Actor | null> {
    const now = Date.now();
    const cached = this.cache.get(tokenHash);
    if (cached && cached.freshUntil > now) return cached.actor;
    let actor: Actor | null = null;
    let freshUntil = now + NEGATIVE_TTL_MS;
    try {
      const resolved = await this.identity.resolve(tokenHash, requestId);
      if (resolved) {
        actor = resolved.actor;
        freshUntil = Math.min(now + this.ttlMs, resolved.expiresAt.getTime());
      }
    } catch (error) {
      // Failing closed to anonymous: an identity outage can only take rights away, never grant them.
      this.logger.warn(
        { err: error, request_id: requestId },
        'authentication unavailable; treating request as anonymous',
      );
      return null;
    }
    this.remember(tokenHash, { actor, freshUntil });
    return actor;
  }

  forget(tokenHash: string): void {
    this.cache.delete(tokenHash);
  }

  invalidate(message: AuthInvalidation): void {
    for (const [key, entry] of this.cache) {
      const actor = entry.actor;
      if (actor?.userId !== message.userId) continue;
      if (message.loginSessionId && actor.loginSessionId !== message.loginSessionId) continue;
      this.cache.delete(key);
    }
  }

  private remember(tokenHash: string, entry: CacheEntry): void {
    if (entry.freshUntil <= Date.now()) return;
    this.cache.delete(tokenHash);
    if (this.cache.size >= MAX_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(tokenHash, entry);
  }
}
