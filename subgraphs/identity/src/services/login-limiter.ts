import { createHash } from 'node:crypto';

import { DomainError, type Redis } from '@medforge/shared-schema';

export interface LoginLimits {
  maxFailuresPerAccount: number;
  maxAttemptsPerIp: number;
  windowSeconds: number;
}

/**
 * Brute-force protection in Redis (shared by every identity process): fixed windows counting failed
 * logins per account and attempts (sign-up or login) per client address. Account keys use a hash of the
 * email so Redis holds no addresses.
 */
export class LoginLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limits: LoginLimits,
  ) {}

  /** Counts an attempt from this address and refuses it once the address is over its budget. */
  async admitAttempt(clientIp: string | null): Promise<void> {
    if (!clientIp) return;
    const key = `mf:auth:ip:${clientIp}`;
    const [[, count], [, ttl]] = (await this.redis
      .multi()
      .incr(key)
      .expire(key, this.limits.windowSeconds, 'NX')
      .ttl(key)
      .exec()) as [[null, number], [null, number], [null, number]];
    if (count > this.limits.maxAttemptsPerIp) throw tooMany('Too many sign-in attempts from your address', ttl);
  }

  async assertAccountNotLocked(email: string): Promise<void> {
    const key = accountKey(email);
    const failures = Number((await this.redis.get(key)) ?? 0);
    if (failures >= this.limits.maxFailuresPerAccount) {
      throw tooMany('Too many failed sign-ins for this account', await this.redis.ttl(key));
    }
  }

  async recordFailure(email: string): Promise<void> {
    const key = accountKey(email);
    await this.redis.multi().incr(key).expire(key, this.limits.windowSeconds, 'NX').exec();
  }

  async clearFailures(email: string): Promise<void> {
    await this.redis.del(accountKey(email));
  }
}

function accountKey(email: string): string {
  return `mf:auth:acct:${createHash('sha256').update(email).digest('hex')}`;
}

function tooMany(reason: string, ttlSeconds: number): DomainError {
  const retryAfterSeconds = Math.max(ttlSeconds, 1);
  return new DomainError(
    'RATE_LIMITED',
    `${reason}; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
    {
      retryAfterSeconds,
    },
  );
}
