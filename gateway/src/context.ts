import type { Actor, IssuedLogin } from '@medforge/shared-schema';

import type { Credential } from './auth/credential';

/** Changes to the login cookie a response must carry (set by identity through its data source). */
export interface LoginCookieEffects {
  issued?: IssuedLogin;
  cleared?: boolean;
}

/** What the gateway knows about a request; signed and forwarded to every subgraph fetch. */
export interface GatewayContext {
  requestId: string;
  actor: Actor | null;
  clientIp: string | null;
  /**
   * Whether a mutation may run: Origin/Referer is a MedForge origin, or the request authenticates with an
   * API token (which no browser sends by itself, so there is nothing to forge across sites).
   */
  originAllowed: boolean;
  /** The cookie or token the request authenticated with (a login's is dropped from the cache on logout). */
  credential: Credential | null;
  loginEffects: LoginCookieEffects;
}
