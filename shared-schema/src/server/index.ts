export { makeFormatError } from './format-error';
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
