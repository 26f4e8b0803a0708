import type { GatewayContext } from '../context';
import type { Authenticator } from './authenticator';
import { type CookieSettings, loginSetCookie } from './login-cookie';

/**
 * Turns a request's session effects into a Set-Cookie value, for /graphql and REST alike, and drops
 * the request's old cookie from the authentication cache when the login changed.
 */
export class LoginCookieWriter {
  constructor(
    private readonly settings: CookieSettings,
    private readonly authenticator: Authenticator,
  ) {}

  setCookieFor(context: GatewayContext): string | undefined {
    const header = loginSetCookie(context.loginEffects, this.settings);
    if (header && context.credential?.kind === 'login') this.authenticator.forget(context.credential);
    return header;
  }
}
