export {
  ACTIVE_SESSION_STATUSES,
  enumValueOf,
  Exposure,
  graphqlEnumName,
  Role,
  SessionStatus,
  SubmissionStatus,
} from './enums';
export type { SessionRoute } from './session-route';
export {
  buildFederatedSchema,
  type FederatedSchemaOptions,
  printFederatedSdl,
  type ReferenceResolvers,
} from './federated-schema';
export { DateTimeScalar, sharedScalarsMap } from './scalars';
export { assertPage, clampLimit, loaderByIds } from './batching';
