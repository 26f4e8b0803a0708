export {
  formatByteLimit,
  MAX_ANONYMOUS_GRAPHQL_BODY_BYTES,
  MAX_REST_JSON_BODY_BYTES,
  MAX_SIGNED_IN_GRAPHQL_BODY_BYTES,
  MAX_SUBMISSION_FILE_BYTES,
} from './body-limits';
export { makeFormatError } from './format-error';
export { requestErrorLog, requestErrorOf } from './request-errors';
export {
  type HealthReport,
  type RunningSubgraph,
  startSubgraphServer,
  type SubgraphServerOptions,
} from './subgraph-server';
export {
  launchSubgraph,
  type SubgraphApp,
  type SubgraphBaseConfig,
  type SubgraphLaunchOptions,
} from './launch-subgraph';
