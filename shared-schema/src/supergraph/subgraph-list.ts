import path from 'node:path';

/** The subgraphs composed into the supergraph, with the URL each has in local development. */
export const SUBGRAPHS = [
  { name: 'identity', devUrl: 'http://127.0.0.1:4101/graphql' },
  { name: 'session-runtime', devUrl: 'http://127.0.0.1:4102/graphql' },
  { name: 'competition', devUrl: 'http://127.0.0.1:4103/graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** Committed SDL lives in shared-schema/schema/ (resolved the same from src/ and dist/). */
export const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schema');
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');
/** The public API (supergraph API schema + subscriptions): what clients generate types from. */
export const PUBLIC_API_SCHEMA_PATH = path.join(SCHEMA_DIR, 'api.graphql');

export function subgraphSdlPath(name: SubgraphName): string {
  return path.join(SCHEMA_DIR, `${name}.graphql`);
}
