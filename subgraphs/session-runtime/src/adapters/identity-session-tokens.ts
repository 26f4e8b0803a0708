import type { ServiceClient } from '@medforge/shared-schema';

import { RevokeSessionTokensDocument, SessionTokenDocument } from '../generated/identity-operations';
import type { SessionTokenIssuer } from '../ports/session-tokens';

/**
 * Asks identity for a session's token as the session-runtime service, through fields only that service
 * may use (@inaccessible, absent from the public API; identity-operations.graphql).
 */
export class IdentitySessionTokens implements SessionTokenIssuer {
  constructor(private readonly identity: ServiceClient) {}

  async issue(userId: string, sessionId: string, requestId: string): Promise<string> {
    const data = await this.identity.query(SessionTokenDocument, { userId, sessionId }, requestId);
    return data.createSessionApiToken;
  }

  async revoke(sessionId: string, requestId: string): Promise<void> {
    await this.identity.query(RevokeSessionTokensDocument, { sessionId }, requestId);
  }
}
