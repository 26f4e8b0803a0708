import { hashLoginToken, isApiTokenFormat } from '@medforge/shared-schema';

/**
 * What a request authenticates with: the console's login cookie, or an API token sent as
 * `Authorization: Bearer`. Both are looked up by their SHA-256, never kept as is.
 */
export interface Credential {
  kind: 'login' | 'api-token';
  hash: string;
}

/** A request's credential; `rejected` when it sent an Authorization header that is not a MedForge token. */
export type CredentialResult =
  { credential: Credential | null; rejected: false } | { credential: null; rejected: true };

/**
 * A bearer token wins over a cookie: the request is then the script's, and the cookie (which a browser
 * adds by itself) is not used at all, so no cross-site request can borrow it.
 */
export function credentialOf(
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  cookieName: string,
): CredentialResult {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match || !isApiTokenFormat(match[1]!)) return { credential: null, rejected: true };
    return { credential: { kind: 'api-token', hash: hashLoginToken(match[1]!) }, rejected: false };
  }
  const token = readCookie(headers.cookie, cookieName);
  return { credential: token ? { kind: 'login', hash: hashLoginToken(token) } : null, rejected: false };
}

/** The message for a bearer token that is malformed, unknown, expired or revoked. */
export const REJECTED_TOKEN_MESSAGE =
  'The API token in the Authorization header is invalid, expired or revoked (send "Authorization: Bearer mf_...")';

/** Reads one cookie from a Cookie header; values that are not plain tokens are ignored. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      const value = rest.join('=');
      return /^[A-Za-z0-9_-]{20,128}$/.test(value) ? value : null;
    }
  }
  return null;
}
