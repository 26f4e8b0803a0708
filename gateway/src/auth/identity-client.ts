import type { Actor, ServiceClient } from '@medforge/shared-schema';

export interface ResolvedLogin {
  actor: Actor;
  expiresAt: Date;
}

const RESOLVE_QUERY = `query ResolveLoginSession($tokenHash: String!) {
  resolveLoginSession(tokenHash: $tokenHash) { loginSessionId userId role canUseInternal expiresAt }
}`;

interface ResolveResult {
  resolveLoginSession: {
    loginSessionId: string;
    userId: string;
    role: 'USER' | 'ADMIN';
    canUseInternal: boolean;
    expiresAt: string;
  } | null;
}

/**
 * Asks identity what a cookie stands for. `resolveLoginSession` is @inaccessible in the supergraph, so
 * only the gateway, calling identity directly with its signature, can use it.
 */
export class IdentityClient {
  constructor(private readonly identity: ServiceClient) {}

  async resolve(tokenHash: string, requestId: string): Promise<ResolvedLogin | null> {
    const { resolveLoginSession: resolved } = await this.identity.query<ResolveResult>(
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
        loginSessionId: resolved.loginSessionId,
      },
      expiresAt: new Date(resolved.expiresAt),
    };
  }
}
