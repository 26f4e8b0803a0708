import { writeFileSync } from 'node:fs';

import { composeSupergraph, printPublicApiSchema, readCommittedSubgraphSdls } from './compose';
import { PUBLIC_API_SCHEMA_PATH, SUPERGRAPH_PATH } from './subgraph-list';

/** CLI: compose the committed subgraph SDLs into schema/supergraph.graphql and the public schema/api.graphql. */
const subgraphs = readCommittedSubgraphSdls();
writeFileSync(SUPERGRAPH_PATH, composeSupergraph(subgraphs));
process.stdout.write(`wrote ${SUPERGRAPH_PATH}\n`);
writeFileSync(PUBLIC_API_SCHEMA_PATH, printPublicApiSchema(subgraphs));
process.stdout.write(`wrote ${PUBLIC_API_SCHEMA_PATH}\n`);
