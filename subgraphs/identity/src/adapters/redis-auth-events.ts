import {
  AUTH_INVALIDATION_CHANNEL,
  type AuthInvalidation,
  type Logger,
  type Redis,
  SSH_KEYS_CHANGED_CHANNEL,
  type SshKeysChanged,
} from '@medforge/shared-schema';

import type { AuthEventSink } from '../ports/auth-event-sink';

/** Identity's announcements on Redis pub/sub. Publishing failures are logged, not thrown. */
export class RedisAuthEvents implements AuthEventSink {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  /**
   * Returns once the gateways' copies are on their way: Redis answers PUBLISH before it writes the message
   * to subscribers (a busy host can pause it in between), so a caller answered at once could send its next
   * request to a gateway that has not read the invalidation yet. A PING on the same connection is answered
   * only after that write, so the mutation's own answer reaches a gateway after its invalidation does.
   */
  async invalidate(message: AuthInvalidation): Promise<void> {
    try {
      await this.redis.publish(AUTH_INVALIDATION_CHANNEL, JSON.stringify(message));
      await this.redis.ping();
    } catch (error) {
      this.logger.warn({ err: error, user_id: message.userId }, 'could not publish auth invalidation');
    }
  }

  async sshKeysChanged(message: SshKeysChanged): Promise<void> {
    try {
      await this.redis.publish(SSH_KEYS_CHANGED_CHANNEL, JSON.stringify(message));
    } catch (error) {
      this.logger.warn({ err: error, user_id: message.userId }, 'could not publish an SSH key change');
    }
  }
}
