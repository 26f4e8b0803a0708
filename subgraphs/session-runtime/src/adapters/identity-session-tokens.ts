import type { ServiceClient } from '@medforge/shared-schema';

import type { SessionTokenIssuer } from '../ports/session-tokens';

const ISSUE = 'mutation SessionToken($u: ID!, $s: ID!) { createSessionApiToken(userId: $u, sessionId: $s) }';
const REVOKE = 'mutation RevokeSessionTokens($s: ID!) { revokeSessionApiTokens(sessionId: $s) }';

/**
 * Asks identity for a session's token as the session-runtime service, through fields only that service
 * may use (@inaccessible, absent from the public API).
 */
export class IdentitySessionTokens implements SessionTokenIssuer {
  constructor(private readonly identity: ServiceClient) {}

  async issue(userId: string, sessionId: string, requestId: string): Promise<string> {
    const data = await this.identity.query<{ createSessionApiToken: string }>(
      ISSUE,
      { u: userId, s: sessionId },
      requestId,
    );
    return data.createSessionApiToken;
  }

  async revoke(sessionId: string, requestId: string): Promise<void> {
    await this.identity.query<{ revokeSessionApiTokens: number }>(REVOKE, { s: sessionId }, requestId);
  }
}
