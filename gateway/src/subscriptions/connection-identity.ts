import type { Actor, AuthInvalidation } from '@medforge/shared-schema';

import { type Authentication, type Authenticator, invalidates } from '../auth/authenticator';
import type { Credential } from '../auth/credential';
import { newRequestId } from '../http/request-id';

/** How soon a connection asks again after identity could not be reached for a refresh. */
const RETRY_AFTER_OUTAGE_MS = 5_000;

/**
 * Who a websocket connection is: authenticated once when it opens, not on every event. Identity's
 * invalidations (logout, revoked token, disable, role change) reach it at once through
 * `ConnectionIdentities`; the authenticator's freshness bounds how long a missed one could go unnoticed,
 * since the connection asks again (in the background) once its answer is stale. Listeners hear of every
 * change of actor, so subscriptions can move to what the new actor may see or end.
 */
export class ConnectionIdentity {
  private actorNow: Actor | null;
  private freshUntil: number;
  private refreshing = false;
  /** An invalidation arrived while identity was being asked: ask once more. */
  private again = false;
  /** An invalidation arrived and identity has not answered since. */
  private suspect = false;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly credential: Credential | null,
    private readonly authenticator: Authenticator,
    first: Authentication | null,
  ) {
    this.actorNow = first?.actor ?? null;
    this.freshUntil = first?.freshUntil ?? authenticator.nowMs() + RETRY_AFTER_OUTAGE_MS;
  }

  static async establish(credential: Credential | null, authenticator: Authenticator): Promise<ConnectionIdentity> {
    const first = credential ? await authenticator.lookup(credential, newRequestId()) : null;
    return new ConnectionIdentity(credential, authenticator, first);
  }

  /** The actor as last known; asks identity again in the background when that answer is stale. */
  get actor(): Actor | null {
    this.refreshIfStale();
    return this.actorNow;
  }

  /** Asks identity again (in the background) once the last answer has passed its freshness. */
  refreshIfStale(): void {
    if (this.credential && this.authenticator.nowMs() >= this.freshUntil) void this.refresh();
  }

  /** Calls `listener` whenever the actor changed (signed out, other role or scopes). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether an invalidation concerns this connection. */
  concerns(message: AuthInvalidation): boolean {
    return this.actorNow !== null && invalidates(message, this.actorNow);
  }

  /**
   * An invalidation concerns this connection: asks identity again now (the authenticator has dropped its
   * cached answer). Until identity answers, the old actor still holds; if it cannot answer, the
   * connection fails closed to anonymous, since the invalidation may have been a logout.
   */
  invalidate(): void {
    this.suspect = true;
    this.again = this.refreshing;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    if (!this.credential || this.refreshing) return;
    this.refreshing = true;
    try {
      do {
        this.again = false;
        const answer = await this.authenticator.lookup(this.credential, newRequestId());
        if (answer) {
          this.suspect = false;
          this.freshUntil = answer.freshUntil;
          this.change(answer.actor);
        } else {
          // An outage: keep what identity said last and ask again soon, unless an invalidation is pending.
          this.freshUntil = this.authenticator.nowMs() + RETRY_AFTER_OUTAGE_MS;
          if (this.suspect) this.change(null);
        }
      } while (this.again);
    } finally {
      this.refreshing = false;
    }
  }

  private change(actor: Actor | null): void {
    const before = this.actorNow;
    this.actorNow = actor;
    if (!sameActor(before, actor)) for (const listener of [...this.listeners]) listener();
  }

  /** Forgets the listeners when the connection closes. */
  close(): void {
    this.listeners.clear();
  }
}

/**
 * Every open connection's identity, so an invalidation reaches the connections it concerns, and a sweep
 * re-asks identity for those whose answer went stale (a login that expired, an invalidation lost while
 * Redis was away): delivery never outlives a login by more than the authenticator's freshness.
 */
export class ConnectionIdentities {
  private readonly open = new Set<ConnectionIdentity>();
  private sweeper: NodeJS.Timeout | null = null;

  /** Checks every connection's freshness each `intervalMs` until `stopSweeping()`. */
  startSweeping(intervalMs: number): void {
    this.sweeper ??= setInterval(() => this.sweep(), intervalMs).unref();
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  sweep(): void {
    for (const identity of this.open) identity.refreshIfStale();
  }

  add(identity: ConnectionIdentity): void {
    this.open.add(identity);
  }

  remove(identity: ConnectionIdentity): void {
    identity.close();
    this.open.delete(identity);
  }

  invalidate(message: AuthInvalidation): void {
    for (const identity of this.open) {
      if (identity.concerns(message)) identity.invalidate();
    }
  }

  get size(): number {
    return this.open.size;
  }
}

function sameActor(a: Actor | null, b: Actor | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.userId === b.userId &&
    a.role === b.role &&
    a.canUseInternal === b.canUseInternal &&
    a.loginSessionId === b.loginSessionId &&
    a.apiTokenId === b.apiTokenId &&
    (a.scopes ?? []).join() === (b.scopes ?? []).join()
  );
}
