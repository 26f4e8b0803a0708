import type { Exposure, SessionStatus } from './enums';

/**
 * Who owns the session behind a host name, and where its code-server listens: what session-runtime's
 * @inaccessible `sessionRoute` answers and the gateway's forward auth decides on. One shape on both sides.
 */
export interface SessionRoute {
  sessionId: string;
  userId: string;
  exposure: Exposure;
  status: SessionStatus;
  /** `host:port` of code-server; null unless the session is RUNNING. */
  upstream: string | null;
}
