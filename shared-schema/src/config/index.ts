export { ConfigError, loadConfig } from './load-config';
export * as configFragments from './fragments';
export { databaseOptionsFrom, subgraphBase } from './subgraph-config';
