/**
 * What time it is, for logic that depends on it (expiries, cache freshness, deadlines). Services take one
 * so a test can move time instead of waiting for it; production passes `systemClock`.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
