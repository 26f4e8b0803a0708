import type { Actor, IssuedLogin } from '@medforge/shared-schema';

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
  /** Whether Origin/Referer is a MedForge origin; mutations require it. */
  originAllowed: boolean;
  /** SHA-256 of the request's session cookie, to drop it from the cache on logout. */
  loginTokenHash: string | null;
  sessionEffects: LoginCookieEffects;
}
