import { createRedis, type Logger } from '@medforge/shared-schema';

import type { EventChannel, EventChannels } from './event-channels';

type Listener<T> = (event: T) => void;

/** Each channel the gateway opens is one Redis subscription of its own. */
export class RedisEventChannels implements EventChannels {
  constructor(
    private readonly redisUrl: string,
    private readonly logger: Logger,
  ) {}

  open<T>(channel: string): Promise<EventChannel<T>> {
    return RedisEventChannel.connect<T>(this.redisUrl, channel, this.logger);
  }
}

class RedisEventChannel<T> implements EventChannel<T> {
  private readonly listeners = new Set<Listener<T>>();
  private readonly reconnectListeners = new Set<() => void>();

  private constructor(private readonly close: () => void) {}

  static async connect<T>(redisUrl: string, channel: string, logger: Logger): Promise<RedisEventChannel<T>> {
    const redis = createRedis(redisUrl, `medforge-gateway-${channel.replace(/[^a-z]+/g, '-')}`);
    const hub = new RedisEventChannel<T>(() => redis.disconnect());
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

  listen(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  shutdown(): void {
    this.listeners.clear();
    this.reconnectListeners.clear();
    this.close();
  }
}
