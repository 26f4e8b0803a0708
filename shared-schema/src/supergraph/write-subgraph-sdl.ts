import { writeFileSync } from 'node:fs';

import type { GraphQLSchema } from 'graphql';

import { printFederatedSdl } from '../graphql';
import { type SubgraphName, subgraphSdlPath } from './subgraph-list';

/** CLI helper for each subgraph's `schema:print`: writes its SDL where composition reads it. */
export function writeSubgraphSdl(name: SubgraphName, build: () => Promise<GraphQLSchema>): void {
  build().then(
    (schema) => {
      writeFileSync(subgraphSdlPath(name), printFederatedSdl(schema));
      process.stdout.write(`wrote ${subgraphSdlPath(name)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${name}: cannot build schema: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
