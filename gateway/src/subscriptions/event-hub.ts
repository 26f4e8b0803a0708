import { createRedis, type Logger } from '@medforge/shared-schema';

type Listener<T> = (event: T) => void;

/** Most events a slow subscriber may have waiting before the oldest are dropped. */
const MAX_QUEUED = 256;

/**
 * One Redis subscription per event channel for the whole gateway, fanned out to every GraphQL
 * subscription (and cache) in process. Each subscriber gets its own bounded queue, so a slow websocket
 * cannot hold up the others.
 */
export class EventHub<T> {
  private readonly listeners = new Set<Listener<T>>();
  private readonly reconnectListeners = new Set<() => void>();

  private constructor(private readonly close: () => void) {}

  static async connect<T>(redisUrl: string, channel: string, logger: Logger): Promise<EventHub<T>> {
    const redis = createRedis(redisUrl, `medforge-gateway-${channel.replace(/[^a-z]+/g, '-')}`);
    const hub = new EventHub<T>(() => redis.disconnect());
    redis.on('message', (_channel: string, raw: string) => {
      let event: T;
      try {
        event = JSON.parse(raw) as T;
      } catch (error) {
        logger.warn({ err: error, channel }, 'ignoring malformed event');
        return;
      }
      for (const listener of hub.listeners) listener(event);
    });
    let subscribedOnce = false;
    // ioredis resubscribes by itself after a lost connection; what was published meanwhile is gone.
    redis.on('ready', () => {
      if (subscribedOnce) for (const listener of hub.reconnectListeners) listener();
    });
    await redis.subscribe(channel);
    subscribedOnce = true;
    return hub;
  }

  /** Calls `listener` for every event until the returned function is called. */
  listen(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` whenever the subscription was re-established: events may have been missed. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  /** Events until the consumer stops iterating (graphql-ws calls `return()` on unsubscribe). */
  subscribe(): AsyncIterableIterator<T> {
    const queue: T[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const listener: Listener<T> = (event) => {
      if (queue.length >= MAX_QUEUED) queue.shift();
      queue.push(event);
      wake?.();
    };
    this.listeners.add(listener);
    const finish = () => {
      done = true;
      this.listeners.delete(listener);
      wake?.();
    };
    const iterator: AsyncIterableIterator<T> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (!done && queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        return done ? { done: true, value: undefined } : { done: false, value: queue.shift()! };
      },
      return: () => {
        finish();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
    return iterator;
  }

  shutdown(): void {
    this.listeners.clear();
    this.reconnectListeners.clear();
    this.close();
  }
}
