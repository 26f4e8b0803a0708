import { createRedis, type Logger, SESSION_EVENTS_CHANNEL, type SessionEvent } from '@medforge/shared-schema';

type Listener = (event: SessionEvent) => void;

/** Most events a slow subscriber may have waiting before the oldest are dropped. */
const MAX_QUEUED = 256;

/**
 * One Redis subscription for the whole gateway, fanned out to every GraphQL subscription in process.
 * Each subscriber gets its own bounded queue, so a slow websocket cannot hold up the others.
 */
export class SessionEventHub {
  private readonly listeners = new Set<Listener>();
  private readonly reconnectListeners = new Set<() => void>();

  private constructor(private readonly close: () => void) {}

  static async connect(redisUrl: string, logger: Logger): Promise<SessionEventHub> {
    const redis = createRedis(redisUrl, 'medforge-gateway-session-events');
    const hub = new SessionEventHub(() => redis.disconnect());
    redis.on('message', (_channel: string, raw: string) => {
      let event: SessionEvent;
      try {
        event = JSON.parse(raw) as SessionEvent;
      } catch (error) {
        logger.warn({ err: error }, 'ignoring malformed session event');
        return;
      }
      for (const listener of hub.listeners) listener(event);
    });
    let subscribedOnce = false;
    // ioredis resubscribes by itself after a lost connection; what was published meanwhile is gone.
    redis.on('ready', () => {
      if (subscribedOnce) for (const listener of hub.reconnectListeners) listener();
    });
    await redis.subscribe(SESSION_EVENTS_CHANNEL);
    subscribedOnce = true;
    return hub;
  }

  /** Calls `listener` for every event until the returned function is called. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` whenever the subscription was re-established: events may have been missed. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  /** Events until the consumer stops iterating (graphql-ws calls `return()` on unsubscribe). */
  subscribe(): AsyncIterableIterator<SessionEvent> {
    const queue: SessionEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const listener: Listener = (event) => {
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
    const iterator: AsyncIterableIterator<SessionEvent> = {
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
