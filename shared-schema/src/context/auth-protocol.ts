/**
 * How identity and the gateway hand logins to each other without the token ever appearing in
 * a GraphQL body: identity answers a successful sign-up/login with the raw token in a response header
 * that only the gateway reads (and turns into Set-Cookie), and asks for the cookie to be cleared with
 * another. Changes that must end cached authentications are announced on a Redis channel.
 */
export const ISSUE_LOGIN_HEADER = 'x-medforge-issue-login';
export const CLEAR_LOGIN_HEADER = 'x-medforge-clear-login';
export const AUTH_INVALIDATION_CHANNEL = 'medforge:auth:invalidate';
/** A user's SSH keys changed: session-runtime installs the new set into their running sessions. */
export const SSH_KEYS_CHANGED_CHANNEL = 'medforge:ssh-keys:changed';

/** A message on SSH_KEYS_CHANGED_CHANNEL. */
export interface SshKeysChanged {
  userId: string;
}

/** Body of ISSUE_LOGIN_HEADER. */
export interface IssuedLogin {
  token: string;
  expiresAt: string;
}

/**
 * A message on AUTH_INVALIDATION_CHANNEL: forget cached authentications of this user (or only one login
 * or one API token of theirs).
 */
export interface AuthInvalidation {
  userId: string;
  loginSessionId?: string;
  apiTokenId?: string;
}

export function encodeIssuedLogin(session: IssuedLogin): string {
  return Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
}

export function decodeIssuedLogin(header: string): IssuedLogin | null {
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Partial<IssuedLogin>;
    return typeof parsed.token === 'string' && typeof parsed.expiresAt === 'string'
      ? { token: parsed.token, expiresAt: parsed.expiresAt }
      : null;
  } catch {
    return null;
  }
}
