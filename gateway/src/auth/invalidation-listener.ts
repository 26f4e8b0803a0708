import { AUTH_INVALIDATION_CHANNEL, type AuthInvalidation, createRedis, type Logger } from '@medforge/shared-schema';

/** What forgets or re-checks who a credential is when identity says it changed. */
export interface InvalidationTarget {
  invalidate(message: AuthInvalidation): void;
}

/**
 * Subscribes to identity's invalidations so a logout or disable takes effect on the next request (the
 * authenticator's cache) and on open websocket connections (their identities).
 */
export async function listenForAuthInvalidations(
  redisUrl: string,
  targets: readonly InvalidationTarget[],
  logger: Logger,
): Promise<{ close(): void }> {
  const subscriber = createRedis(redisUrl, 'medforge-gateway-auth');
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const message = JSON.parse(raw) as AuthInvalidation;
      if (typeof message.userId === 'string') for (const target of targets) target.invalidate(message);
    } catch (error) {
      logger.warn({ err: error }, 'ignoring malformed auth invalidation');
    }
  });
  await subscriber.subscribe(AUTH_INVALIDATION_CHANNEL);
  return { close: () => subscriber.disconnect() };
}
