import Redis from 'ioredis';

export type { Redis };

/**
 * A Redis connection that fails commands quickly while Redis is down (instead of queueing them
 * forever), so callers can answer with a clear error; it keeps reconnecting in the background.
 */
export function createRedis(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
