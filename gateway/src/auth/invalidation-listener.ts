import { AUTH_INVALIDATION_CHANNEL, type AuthInvalidation, type Logger } from '@medforge/shared-schema';

import type { EventChannels } from '../events/event-channels';

/** What forgets or re-checks who a credential is when identity says it changed. */
export interface InvalidationTarget {
  invalidate(message: AuthInvalidation): void;
}

/**
 * Subscribes to identity's invalidations so a logout or disable takes effect on the next request (the
 * authenticator's cache) and on open websocket connections (their identities).
 */
export async function listenForAuthInvalidations(
  channels: EventChannels,
  targets: readonly InvalidationTarget[],
  logger: Logger,
): Promise<{ close(): void }> {
  const channel = await channels.open<unknown>(AUTH_INVALIDATION_CHANNEL);
  channel.listen((message) => {
    if (!isInvalidation(message)) {
      logger.warn({ message_type: typeof message }, 'ignoring malformed auth invalidation');
      return;
    }
    for (const target of targets) target.invalidate(message);
  });
  return { close: () => channel.shutdown() };
}

function isInvalidation(message: unknown): message is AuthInvalidation {
  return typeof message === 'object' && message !== null && typeof (message as AuthInvalidation).userId === 'string';
}
