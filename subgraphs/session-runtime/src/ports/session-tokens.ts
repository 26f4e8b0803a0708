/** The API token (SUBMIT and KEEPALIVE, for that session only) each session gets for its owner, minted at its start, revoked at its end. */
export interface SessionTokenIssuer {
  issue(userId: string, sessionId: string, requestId: string): Promise<string>;
  /** Ends the session's token(s); repeating it is harmless. */
  revoke(sessionId: string, requestId: string): Promise<void>;
}
