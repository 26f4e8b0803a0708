export {
  type Actor,
  CONTEXT_HEADER,
  type RequestContextClaims,
  SERVICE_NAMES,
  type ServiceName,
  signContext,
  verifyContext,
} from './signed-context';
export { isOwnerOrAdmin, requireActor, requireAdmin, requireSelfOrAdmin, requireService } from './authorization';
export { baseContext, type BaseSubgraphContext, type SetResponseHeader } from './subgraph-context';
export {
  AUTH_INVALIDATION_CHANNEL,
  type AuthInvalidation,
  CLEAR_SESSION_HEADER,
  decodeIssuedSession,
  encodeIssuedSession,
  ISSUE_SESSION_HEADER,
  type IssuedSession,
} from './auth-protocol';
export { ServiceClient } from './service-client';
