import { createHash } from 'node:crypto';

import { DomainError, type Redis } from '@medforge/shared-schema';
import { type RateLimiterAbstract, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

/**
 * Brute-force protection in Redis (shared by every identity process), with rate-limiter-flexible: only
 * failures count — per account (a wrong password) and per client address (a wrong password, or a sign-up
 * that failed: taken email, invalid input) — so a lab or a script behind one address that signs in
 * successfully is never locked out. Once either budget is spent, attempts are refused for the rest of its
 * window, with the true time left. Account keys use a hash of the email so Redis holds no addresses.
 */
export class LoginLimiter {
  private readonly byAccount: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(redis: Redis, limits: LoginLimits) {
    const common = { storeClient: redis, duration: limits.windowSeconds };
    this.byAccount = new RateLimiterRedis({
      ...common,
      keyPrefix: 'mf:auth:fail:acct',
      points: limits.maxFailuresPerAccount,
    });
    this.byAddress = new RateLimiterRedis({ ...common, keyPrefix: 'mf:auth:fail:ip', points: limits.maxFailuresPerIp });
  }

  /** Refuses the attempt while its address, or the account it names, has no failures left. */
  async admit(clientIp: string | null, email: string | null): Promise<void> {
    if (clientIp) await refuseIfSpent(this.byAddress, clientIp, 'Too many failed sign-ins from your address');
    if (email) await refuseIfSpent(this.byAccount, accountKey(email), 'Too many failed sign-ins for this account');
  }

  async recordFailure(clientIp: string | null, email: string | null): Promise<void> {
    await Promise.all([
      clientIp ? spend(this.byAddress, clientIp) : undefined,
      email ? spend(this.byAccount, accountKey(email)) : undefined,
    ]);
  }

  /** A successful login forgets the account's failures (its address keeps its count). */
  async clearAccount(email: string): Promise<void> {
    await this.byAccount.delete(accountKey(email));
  }
}

async function refuseIfSpent(limiter: RateLimiterAbstract, key: string, reason: string): Promise<void> {
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= limiter.points) throw tooMany(reason, state.msBeforeNext);
}

/** One failure; past the budget the limiter rejects with its state, which is no error here. */
async function spend(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

function accountKey(email: string): string {
  return createHash('sha256').update(email).digest('hex');
}

function tooMany(reason: string, msLeft: number): DomainError {
  const retryAfterSeconds = Math.max(Math.ceil(msLeft / 1000), 1);
  return new DomainError(
    'RATE_LIMITED',
    `${reason}; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
    { retryAfterSeconds },
  );
}
