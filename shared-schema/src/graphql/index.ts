export { ACTIVE_SESSION_STATUSES, Exposure, Role, SessionStatus, SubmissionStatus } from './enums';
export {
  buildFederatedSchema,
  type FederatedSchemaOptions,
  printFederatedSdl,
  type ReferenceResolvers,
} from './federated-schema';
export { DateTimeScalar, sharedScalarsMap } from './scalars';
export { assertPage, loaderByIds } from './batching';
