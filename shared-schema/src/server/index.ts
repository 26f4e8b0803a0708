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
