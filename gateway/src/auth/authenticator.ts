import { type Actor, type AuthInvalidation, type Clock, type Logger, systemClock } from '@medforge/shared-schema';

import type { Credential } from './credential';
import type { ResolvedCredential } from './identity-client';

/** Identity's answer to "who is this credential?" (IdentityClient; an in-memory one in unit tests). */
export interface CredentialResolver {
  resolve(credential: Credential, requestId: string): Promise<ResolvedCredential | null>;
}

/** Who a credential is, and until when that answer may be used without asking identity again. */
export interface Authentication {
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
  private readonly cache = new Map<string, Authentication>();
  /** Lookups under way, so a burst of requests with one credential asks identity once. */
  private readonly inFlight = new Map<string, Promise<Authentication | null>>();
  /** Counts invalidations: an answer that was under way when one arrived is used once, never cached. */
  private generation = 0;

  constructor(
    private readonly identity: CredentialResolver,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    /** Freshness is measured on it; connections' identities use the same one. */
    readonly clock: Clock = systemClock,
  ) {}

  /** The cached answer while it is fresh, without asking identity; undefined when there is none. */
  peek(credential: Credential): Actor | null | undefined {
    const cached = this.cache.get(cacheKey(credential));
    return cached && cached.freshUntil > this.nowMs() ? cached.actor : undefined;
  }

  async authenticate(credential: Credential, requestId: string): Promise<Actor | null> {
    return (await this.lookup(credential, requestId))?.actor ?? null;
  }

  /**
   * The answer with its freshness; null when identity could not be asked (an outage, which callers treat
   * as anonymous: it can only take rights away, never grant them).
   */
  lookup(credential: Credential, requestId: string): Promise<Authentication | null> {
    const key = cacheKey(credential);
    const cached = this.cache.get(key);
    if (cached && cached.freshUntil > this.nowMs()) return Promise.resolve(cached);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const asked: Promise<Authentication | null> = this.ask(key, credential, requestId).finally(() => {
      if (this.inFlight.get(key) === asked) this.inFlight.delete(key);
    });
    this.inFlight.set(key, asked);
    return asked;
  }

  private async ask(key: string, credential: Credential, requestId: string): Promise<Authentication | null> {
    const now = this.nowMs();
    const generation = this.generation;
    let answer: Authentication = { actor: null, freshUntil: now + NEGATIVE_TTL_MS };
    try {
      const resolved = await this.identity.resolve(credential, requestId);
      if (resolved) {
        answer = {
          actor: resolved.actor,
          freshUntil: Math.min(now + this.ttlMs, resolved.expiresAt?.getTime() ?? Infinity),
        };
      }
    } catch (error) {
      this.logger.warn(
        { err: error, request_id: requestId },
        'authentication unavailable; treating request as anonymous',
      );
      return null;
    }
    if (generation === this.generation) this.remember(key, answer);
    return answer;
  }

  forget(credential: Credential): void {
    this.cache.delete(cacheKey(credential));
  }

  invalidate(message: AuthInvalidation): void {
    this.generation += 1;
    this.inFlight.clear();
    for (const [key, entry] of this.cache) {
      const actor = entry.actor;
      // Remembered refusals go too: one may be a token of this user, refused while they were disabled.
      if (actor === null) {
        this.cache.delete(key);
        continue;
      }
      if (invalidates(message, actor)) this.cache.delete(key);
    }
  }

  /** Epoch ms by the authenticator's clock. */
  nowMs(): number {
    return this.clock.now().getTime();
  }

  private remember(key: string, entry: Authentication): void {
    if (entry.freshUntil <= this.nowMs()) return;
    this.cache.delete(key);
    if (this.cache.size >= MAX_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, entry);
  }
}

/** Whether an invalidation concerns an actor: its user, narrowed to one login or one token when it says so. */
export function invalidates(message: AuthInvalidation, actor: Actor): boolean {
  if (actor.userId !== message.userId) return false;
  if (message.loginSessionId && actor.loginSessionId !== message.loginSessionId) return false;
  if (message.apiTokenId && actor.apiTokenId !== message.apiTokenId) return false;
  return true;
}

function cacheKey(credential: Credential): string {
  return `${credential.kind}:${credential.hash}`;
}
