import type { Actor, ApiScope, ServiceClient } from '@medforge/shared-schema';

import { ResolveApiTokenDocument, ResolveLoginSessionDocument, type Role } from '../generated/internal-operations';
import type { Credential } from './credential';

export interface ResolvedCredential {
  actor: Actor;
  /** Null: it does not expire (an API token without expiry). */
  expiresAt: Date | null;
}

const actorRole = (role: Role): Actor['role'] => (role === 'ADMIN' ? 'admin' : 'user');

/**
 * Asks identity what a cookie or an API token stands for. `resolveLoginSession` and `resolveApiToken`
 * are @inaccessible in the supergraph, so only the gateway, calling identity directly with its
 * signature, can use them (identity-operations.graphql). Both answer the role as the GraphQL Role enum.
 */
export class IdentityClient {
  constructor(private readonly identity: ServiceClient) {}

  async resolve(credential: Credential, requestId: string): Promise<ResolvedCredential | null> {
    return credential.kind === 'login'
      ? await this.resolveLogin(credential.hash, requestId)
      : await this.resolveApiToken(credential.hash, requestId);
  }

  private async resolveLogin(tokenHash: string, requestId: string): Promise<ResolvedCredential | null> {
    const { resolveLoginSession: resolved } = await this.identity.query(
      ResolveLoginSessionDocument,
      { tokenHash },
      requestId,
    );
    if (!resolved) return null;
    return {
      actor: {
        userId: resolved.userId,
        role: actorRole(resolved.role),
        canUseInternal: resolved.canUseInternal,
        loginSessionId: resolved.loginSessionId,
      },
      expiresAt: new Date(resolved.expiresAt),
    };
  }

  private async resolveApiToken(tokenHash: string, requestId: string): Promise<ResolvedCredential | null> {
    const { resolveApiToken: resolved } = await this.identity.query(ResolveApiTokenDocument, { tokenHash }, requestId);
    if (!resolved) return null;
    return {
      actor: {
        userId: resolved.userId,
        role: actorRole(resolved.role),
        canUseInternal: resolved.canUseInternal,
        apiTokenId: resolved.apiTokenId,
        // Identity stores and answers only the platform's scope names (a [String] in the schema).
        scopes: resolved.scopes as ApiScope[],
        ...(resolved.sessionId ? { sessionId: resolved.sessionId } : {}),
      },
      expiresAt: resolved.expiresAt ? new Date(resolved.expiresAt) : null,
    };
  }
}
