import { AUTH_INVALIDATION_CHANNEL, type AuthInvalidation, createRedis, type Logger } from '@medforge/shared-schema';

import type { Authenticator } from './authenticator';

/** Subscribes to identity's invalidations so a logout or disable takes effect on the next request. */
export async function listenForAuthInvalidations(
  redisUrl: string,
  authenticator: Authenticator,
  logger: Logger,
): Promise<{ close(): void }> {
  const subscriber = createRedis(redisUrl, 'medforge-gateway-auth');
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const message = JSON.parse(raw) as AuthInvalidation;
      if (typeof message.userId === 'string') authenticator.invalidate(message);
    } catch (error) {
      logger.warn({ err: error }, 'ignoring malformed auth invalidation');
    }
  });
  await subscriber.subscribe(AUTH_INVALIDATION_CHANNEL);
  return { close: () => subscriber.disconnect() };
}
