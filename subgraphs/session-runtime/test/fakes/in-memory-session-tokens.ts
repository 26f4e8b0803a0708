import type { SessionTokenIssuer } from '../../src/ports/session-tokens';

/** Session tokens kept in memory: which session holds which token, and which were revoked. */
export class InMemorySessionTokens implements SessionTokenIssuer {
  readonly issued = new Map<string, string>();
  readonly revoked = new Set<string>();
  /** Set to make the next issues fail (identity unreachable). */
  failing = false;

  async issue(_userId: string, sessionId: string): Promise<string> {
    if (this.failing) throw new Error('identity answered 503: no data');
    const token = `mf_ses_${sessionId.replace(/-/g, '').padEnd(43, 'x').slice(0, 43)}`;
    this.issued.set(sessionId, token);
    return token;
  }

  async revoke(sessionId: string): Promise<void> {
    if (this.issued.has(sessionId)) this.revoked.add(sessionId);
  }

  /** The session a token acts for, while it is not revoked. */
  sessionOf(token: string): string | null {
    for (const [sessionId, issued] of this.issued) {
      if (issued === token) return this.revoked.has(sessionId) ? null : sessionId;
    }
    return null;
  }
}
