export {
  composeSupergraph,
  CompositionError,
  printPublicApiSchema,
  readCommittedSubgraphSdls,
  type SubgraphSdl,
} from './compose';
export {
  PUBLIC_API_SCHEMA_PATH,
  SCHEMA_DIR,
  SUBGRAPHS,
  type SubgraphName,
  subgraphSdlPath,
  SUPERGRAPH_PATH,
} from './subgraph-list';
export { SUBSCRIPTION_SDL } from './subscription-sdl';
export { writeSubgraphSdl } from './write-subgraph-sdl';
