import type { Actor, ServiceClient } from '@medforge/shared-schema';

export interface ResolvedLogin {
  actor: Actor;
  expiresAt: Date;
}

const RESOLVE_QUERY = `query ResolveAuthSession($tokenHash: String!) {
  resolveAuthSession(tokenHash: $tokenHash) { authSessionId userId role canUseInternal expiresAt }
}`;

interface ResolveResult {
  resolveAuthSession: {
    authSessionId: string;
    userId: string;
    role: 'USER' | 'ADMIN';
    canUseInternal: boolean;
    expiresAt: string;
  } | null;
}

/**
 * Asks identity what a cookie stands for. `resolveAuthSession` is @inaccessible in the supergraph, so
 * only the gateway, calling identity directly with its signature, can use it.
 */
export class IdentityClient {
  constructor(private readonly identity: ServiceClient) {}

  async resolve(tokenHash: string, requestId: string): Promise<ResolvedLogin | null> {
    const { resolveAuthSession: resolved } = await this.identity.query<ResolveResult>(
      RESOLVE_QUERY,
      { tokenHash },
      requestId,
    );
    if (!resolved) return null;
    return {
      actor: {
        userId: resolved.userId,
        role: resolved.role === 'ADMIN' ? 'admin' : 'user',
        canUseInternal: resolved.canUseInternal,
        authSessionId: resolved.authSessionId,
      },
      expiresAt: new Date(resolved.expiresAt),
    };
  }
}
