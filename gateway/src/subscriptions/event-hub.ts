import { createRedis, type Logger } from '@medforge/shared-schema';

type Listener<T> = (event: T) => void;

/** Something that calls its listeners with each event. */
export interface EventSource<T> {
  /** Calls `listener` for every event until the returned function is called. */
  listen(listener: Listener<T>): () => void;
}

/**
 * One Redis subscription per event channel for the whole gateway, fanned out to every subscription feed
 * (and cache) in process.
 */
export class EventHub<T> implements EventSource<T> {
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

  shutdown(): void {
    this.listeners.clear();
    this.reconnectListeners.clear();
    this.close();
  }
}
