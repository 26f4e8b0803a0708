import { readFileSync } from 'node:fs';

import { ApolloGateway } from '@apollo/gateway';

import { type GatewayConfig, subgraphUrls } from '../config';
import { SignedContextDataSource } from './signed-data-source';

/**
 * The gateway executes against the committed, composed supergraph (no runtime introspection of
 * subgraphs); only the subgraph URLs come from config.
 */
export function createGateway(config: GatewayConfig): ApolloGateway {
  // @apollo/gateway otherwise exports usage metrics to Apollo and probes cloud metadata endpoints
  // (169.254.169.254, ...) at construction. A self-hosted platform never phones home; this variable is
  // the gateway's only switch for it and is read when the gateway is constructed.
  process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';
  const urls = subgraphUrls(config);
  return new ApolloGateway({
    supergraphSdl: readFileSync(config.SUPERGRAPH_FILE, 'utf8'),
    buildService: ({ name }) => {
      const url = urls[name];
      if (!url) throw new Error(`supergraph names subgraph "${name}" but no URL is configured for it`);
      return new SignedContextDataSource(url, config.CONTEXT_SIGNING_SECRET, name === 'identity');
    },
  });
}
