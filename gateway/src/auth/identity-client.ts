import { type Actor, CONTEXT_HEADER, signContext } from '@medforge/shared-schema';

export interface ResolvedLogin {
  actor: Actor;
  expiresAt: Date;
}

const RESOLVE_QUERY = `query ResolveAuthSession($tokenHash: String!) {
  resolveAuthSession(tokenHash: $tokenHash) { authSessionId userId role canUseInternal expiresAt }
}`;
const TIMEOUT_MS = 3_000;

interface ResolveResponse {
  data?: {
    resolveAuthSession: {
      authSessionId: string;
      userId: string;
      role: 'USER' | 'ADMIN';
      canUseInternal: boolean;
      expiresAt: string;
    } | null;
  };
  errors?: Array<{ message: string }>;
}

/**
 * Asks identity what a cookie stands for. `resolveAuthSession` is @inaccessible in the supergraph, so
 * only the gateway, calling identity directly with its signature, can use it.
 */
export class IdentityClient {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
  ) {}

  async resolve(tokenHash: string, requestId: string): Promise<ResolvedLogin | null> {
    const response = await fetch(this.url, {
      method: 'POST',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        [CONTEXT_HEADER]: signContext({ requestId, actor: null, issuedAt: Date.now() }, this.signingSecret),
      },
      body: JSON.stringify({ query: RESOLVE_QUERY, variables: { tokenHash } }),
    });
    const body = (await response.json()) as ResolveResponse;
    if (!response.ok || body.errors?.length) {
      throw new Error(`identity could not resolve a session: ${body.errors?.[0]?.message ?? response.status}`);
    }
    const resolved = body.data?.resolveAuthSession;
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
