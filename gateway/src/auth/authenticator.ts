import type { Actor, AuthInvalidation, Logger } from '@medforge/shared-schema';

import type { Credential } from './credential';
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
 * Turns a login cookie or an API token into an actor once per request, from a short in-process cache.
 * Logouts, token revocations, disables and entitlement changes arrive as invalidations and drop entries
 * immediately; the TTL bounds staleness if one is missed. Nothing stays cached past its own expiry.
 */
export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly identity: IdentityClient,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  async authenticate(credential: Credential, requestId: string): Promise<Actor | null> {
    const now = Date.now();
    const key = cacheKey(credential);
    const cached = this.cache.get(key);
    if (cached && cached.freshUntil > now) return cached.actor;
    let actor: Actor | null = null;
    let freshUntil = now + NEGATIVE_TTL_MS;
    try {
      const resolved = await this.identity.resolve(credential, requestId);
      if (resolved) {
        actor = resolved.actor;
        freshUntil = Math.min(now + this.ttlMs, resolved.expiresAt?.getTime() ?? Infinity);
      }
    } catch (error) {
      // Failing closed to anonymous: an identity outage can only take rights away, never grant them.
      this.logger.warn(
        { err: error, request_id: requestId },
        'authentication unavailable; treating request as anonymous',
      );
      return null;
    }
    this.remember(key, { actor, freshUntil });
    return actor;
  }

  forget(credential: Credential): void {
    this.cache.delete(cacheKey(credential));
  }

  invalidate(message: AuthInvalidation): void {
    for (const [key, entry] of this.cache) {
      const actor = entry.actor;
      // Remembered refusals go too: one may be a token of this user, refused while they were disabled.
      if (actor === null) {
        this.cache.delete(key);
        continue;
      }
      if (actor.userId !== message.userId) continue;
      if (message.loginSessionId && actor.loginSessionId !== message.loginSessionId) continue;
      if (message.apiTokenId && actor.apiTokenId !== message.apiTokenId) continue;
      this.cache.delete(key);
    }
  }

  private remember(key: string, entry: CacheEntry): void {
    if (entry.freshUntil <= Date.now()) return;
    this.cache.delete(key);
    if (this.cache.size >= MAX_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, entry);
  }
}

function cacheKey(credential: Credential): string {
  return `${credential.kind}:${credential.hash}`;
}
