import { writeFileSync } from 'node:fs';

import { composeSupergraph, readCommittedSubgraphSdls } from './compose';
import { SUPERGRAPH_PATH } from './subgraph-list';

/** CLI: compose the committed subgraph SDLs and write shared-schema/schema/supergraph.graphql. */
writeFileSync(SUPERGRAPH_PATH, composeSupergraph(readCommittedSubgraphSdls()));
process.stdout.write(`wrote ${SUPERGRAPH_PATH}\n`);
