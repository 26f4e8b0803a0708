import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import { DomainError } from '../errors';
import type { Redis } from '../redis';

export interface BudgetLimits {
  /** Failures allowed per key within a window. */
  failures: number;
  windowSeconds: number;
}

/**
 * A budget of failures per key (an account, an address, a user), kept by a rate-limiter-flexible limiter
 * (Redis in services, so every process shares it; memory in unit tests). Only failures spend it; once
 * it is spent, attempts are refused for the rest of its window with the true time left.
 */
export class FailureBudget {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  /** Kept in Redis under `keyPrefix`, shared by every process of the service. */
  static inRedis(redis: Redis, keyPrefix: string, limits: BudgetLimits): FailureBudget {
    return new FailureBudget(
      new RateLimiterRedis({ storeClient: redis, keyPrefix, points: limits.failures, duration: limits.windowSeconds }),
    );
  }

  /** Kept in this process (unit tests). */
  static inMemory(limits: BudgetLimits): FailureBudget {
    return new FailureBudget(new RateLimiterMemory({ points: limits.failures, duration: limits.windowSeconds }));
  }

  /** Refuses (RATE_LIMITED, with retryAfterSeconds) while `key` has no failures left. */
  async refuseIfSpent(key: string, reason: string): Promise<void> {
    const state = await this.limiter.get(key);
    if (state && state.consumedPoints >= this.limiter.points) throw tooMany(reason, state.msBeforeNext);
  }

  /** One failure; past the budget the limiter rejects with its state, which is no error here. */
  async spend(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
    }
  }

  async forget(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

function tooMany(reason: string, msLeft: number): DomainError {
  const retryAfterSeconds = Math.max(Math.ceil(msLeft / 1000), 1);
  return new DomainError(
    'RATE_LIMITED',
    `${reason}; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
    { retryAfterSeconds },
  );
}
