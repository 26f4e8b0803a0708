import { type Clock, FailureBudget, type Logger, type Redis, systemClock } from '@medforge/shared-schema';

import type { AuthEventSink } from '../ports/auth-event-sink';
import type { FailureBudgets } from '../ports/failure-budgets';
import { RedisAuthEvents } from './redis-auth-events';

/** Everything identity uses outside its database, each behind its interface. */
export interface IdentityAdapters {
  /** Where logouts, disables and SSH key changes are announced (Redis pub/sub). */
  events: AuthEventSink;
  /** Sign-in failure budgets shared by every identity process (Redis). */
  failureBudgets: FailureBudgets;
  /** Login, reset-link, invitation and token expiries are measured on it. */
  clock: Clock;
}

/** Whether the adapters left to the defaults need a Redis connection. */
export function identityNeedsRedis(given: Partial<IdentityAdapters>): boolean {
  return !given.events || !given.failureBudgets;
}

/** The adapters a caller did not pass: Redis for announcements and failure budgets, the system clock. */
export function createIdentityAdapters(
  redis: Redis | null,
  logger: Logger,
  given: Partial<IdentityAdapters> = {},
): IdentityAdapters {
  const needRedis = (): Redis => {
    if (!redis) throw new Error('identity needs Redis for the adapters it was not given');
    return redis;
  };
  return {
    events: given.events ?? new RedisAuthEvents(needRedis(), logger),
    failureBudgets:
      given.failureBudgets ?? ((keyPrefix, limits) => FailureBudget.inRedis(needRedis(), keyPrefix, limits)),
    clock: given.clock ?? systemClock,
  };
}
