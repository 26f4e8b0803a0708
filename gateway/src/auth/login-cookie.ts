import type { LoginCookieEffects } from '../context';

export interface CookieSettings {
  name: string;
  domain: string;
  secure: boolean;
}

/** The Set-Cookie value for a response's session effects, or undefined when there is none. */
export function loginSetCookie(effects: LoginCookieEffects, settings: CookieSettings): string | undefined {
  const attributes = [`Domain=${settings.domain}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (settings.secure) attributes.push('Secure');
  if (effects.issued) {
    const expires = new Date(effects.issued.expiresAt);
    const maxAge = Math.max(0, Math.floor((expires.getTime() - Date.now()) / 1000));
    return [
      `${settings.name}=${effects.issued.token}`,
      ...attributes,
      `Max-Age=${maxAge}`,
      `Expires=${expires.toUTCString()}`,
    ].join('; ');
  }
  if (effects.cleared) {
    return [`${settings.name}=`, ...attributes, 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT'].join('; ');
  }
  return undefined;
}
