import { type Clock, type Logger, ServiceClient, systemClock } from '@medforge/shared-schema';

import type { CredentialResolver } from './auth/authenticator';
import { IdentityClient } from './auth/identity-client';
import type { GatewayConfig } from './config';
import type { EventChannels } from './events/event-channels';
import { RedisEventChannels } from './events/redis-event-channels';
import { type SessionRouteSource, SubgraphSessionRouteSource } from './routing/session-route-source';

/** Everything the gateway asks outside the federated graph itself, each behind its interface. */
export interface GatewayAdapters {
  /** Who a login cookie or an API token is (identity). */
  identity: CredentialResolver;
  /** Where a session's host name leads, and whose it is (session-runtime). */
  sessionRoutes: SessionRouteSource;
  /** What the services announce: session and submission changes, GPU readings, invalidations (Redis). */
  events: EventChannels;
  /** Cache freshness and login expiry are measured on it. */
  clock: Clock;
}

/** The adapters a caller did not pass, as the config names them. */
export function createGatewayAdapters(
  config: Readonly<GatewayConfig>,
  logger: Logger,
  given: Partial<GatewayAdapters> = {},
): GatewayAdapters {
  const client = (target: 'identity' | 'session-runtime', url: string) =>
    new ServiceClient('gateway', target, url, config.CONTEXT_SIGNING_SECRET);
  return {
    identity: given.identity ?? new IdentityClient(client('identity', config.IDENTITY_URL)),
    sessionRoutes:
      given.sessionRoutes ?? new SubgraphSessionRouteSource(client('session-runtime', config.SESSION_RUNTIME_URL)),
    events: given.events ?? new RedisEventChannels(config.REDIS_URL, logger),
    clock: given.clock ?? systemClock,
  };
}
