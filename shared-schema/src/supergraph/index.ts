export { composeSupergraph, CompositionError, readCommittedSubgraphSdls, type SubgraphSdl } from './compose';
export { SCHEMA_DIR, SUBGRAPHS, type SubgraphName, subgraphSdlPath, SUPERGRAPH_PATH } from './subgraph-list';
export { writeSubgraphSdl } from './write-subgraph-sdl';
