import type { Actor, ApiScope, ServiceClient } from '@medforge/shared-schema';

import type { Credential } from './credential';

export interface ResolvedCredential {
  actor: Actor;
  /** Null: it does not expire (an API token without expiry). */
  expiresAt: Date | null;
}

const RESOLVE_LOGIN = `query ResolveLoginSession($tokenHash: String!) {
  resolveLoginSession(tokenHash: $tokenHash) { loginSessionId userId role canUseInternal expiresAt }
}`;

const RESOLVE_API_TOKEN = `query ResolveApiToken($tokenHash: String!) {
  resolveApiToken(tokenHash: $tokenHash) { apiTokenId userId role canUseInternal scopes sessionId expiresAt }
}`;

/** The GraphQL Role enum, the same for logins and tokens. */
type ResolvedRole = 'USER' | 'ADMIN';

const actorRole = (role: ResolvedRole): Actor['role'] => (role === 'ADMIN' ? 'admin' : 'user');

interface ResolveLoginResult {
  resolveLoginSession: {
    loginSessionId: string;
    userId: string;
    role: ResolvedRole;
    canUseInternal: boolean;
    expiresAt: string;
  } | null;
}

interface ResolveApiTokenResult {
  resolveApiToken: {
    apiTokenId: string;
    userId: string;
    role: ResolvedRole;
    canUseInternal: boolean;
    scopes: ApiScope[];
    sessionId: string | null;
    expiresAt: string | null;
  } | null;
}

/**
 * Asks identity what a cookie or an API token stands for. `resolveLoginSession` and `resolveApiToken`
 * are @inaccessible in the supergraph, so only the gateway, calling identity directly with its
 * signature, can use them.
 */
export class IdentityClient {
  constructor(private readonly identity: ServiceClient) {}

  async resolve(credential: Credential, requestId: string): Promise<ResolvedCredential | null> {
    return credential.kind === 'login'
      ? await this.resolveLogin(credential.hash, requestId)
      : await this.resolveApiToken(credential.hash, requestId);
  }

  private async resolveLogin(tokenHash: string, requestId: string): Promise<ResolvedCredential | null> {
    const { resolveLoginSession: resolved } = await this.identity.query<ResolveLoginResult>(
      RESOLVE_LOGIN,
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
    const { resolveApiToken: resolved } = await this.identity.query<ResolveApiTokenResult>(
      RESOLVE_API_TOKEN,
      { tokenHash },
      requestId,
    );
    if (!resolved) return null;
    return {
      actor: {
        userId: resolved.userId,
        role: actorRole(resolved.role),
        canUseInternal: resolved.canUseInternal,
        apiTokenId: resolved.apiTokenId,
        scopes: resolved.scopes,
        ...(resolved.sessionId ? { sessionId: resolved.sessionId } : {}),
      },
      expiresAt: resolved.expiresAt ? new Date(resolved.expiresAt) : null,
    };
  }
}
