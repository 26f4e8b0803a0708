import type { Logger } from '../logger';
import type { Actor, RequestContextClaims, ServiceName } from './signed-context';

/** Lets a resolver add a header to the subgraph's HTTP response (read by the gateway, never by clients). */
export type SetResponseHeader = (name: string, value: string) => void;

/** Fields every subgraph's resolver context starts with. */
export interface BaseSubgraphContext {
  requestId: string;
  actor: Actor | null;
  /** Set when another MedForge service calls on its own behalf (then `actor` is null). */
  service: ServiceName | null;
  clientIp: string | null;
  logger: Logger;
  setResponseHeader: SetResponseHeader;
}

export function baseContext(
  claims: RequestContextClaims,
  logger: Logger,
  setResponseHeader: SetResponseHeader,
): BaseSubgraphContext {
  return {
    requestId: claims.requestId,
    actor: claims.actor,
    service: claims.service ?? null,
    clientIp: claims.clientIp ?? null,
    logger,
    setResponseHeader,
  };
}
