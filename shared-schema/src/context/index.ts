export {
  type Actor,
  CONTEXT_HEADER,
  type RequestContextClaims,
  SERVICE_NAMES,
  type ServiceName,
  signContext,
  verifyContext,
} from './signed-context';
export {
  isAdmin,
  isOwnerOrAdmin,
  mayReachInternal,
  requireActor,
  requireAdmin,
  requireSelfOrAdmin,
  requireService,
} from './authorization';
export { baseContext, type BaseSubgraphContext, type SetResponseHeader } from './subgraph-context';
export {
  AUTH_INVALIDATION_CHANNEL,
  type AuthInvalidation,
  CLEAR_LOGIN_HEADER,
  decodeIssuedLogin,
  encodeIssuedLogin,
  ISSUE_LOGIN_HEADER,
  type IssuedLogin,
  SSH_KEYS_CHANGED_CHANNEL,
  type SshKeysChanged,
} from './auth-protocol';
export { ServiceClient, type TypedOperation } from './service-client';
export { hashLoginToken } from './login-token';
export {
  API_SCOPES,
  type ApiScope,
  apiTokenPrefix,
  type ApiTokenKind,
  generateApiToken,
  isApiTokenFormat,
} from './api-token';
