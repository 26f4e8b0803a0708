import { AUTH_INVALIDATION_CHANNEL, type AuthInvalidation, type Logger, type Redis } from '@medforge/shared-schema';

/**
 * Tells every gateway to forget cached authentications after a logout, a disable or an entitlement
 * change. Publishing failures are logged, not thrown: the gateway's cache TTL bounds the staleness.
 */
export class AuthEvents {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async invalidate(message: AuthInvalidation): Promise<void> {
    try {
      await this.redis.publish(AUTH_INVALIDATION_CHANNEL, JSON.stringify(message));
    } catch (error) {
      this.logger.warn({ err: error, user_id: message.userId }, 'could not publish auth invalidation');
    }
  }
}
