import { CONTEXT_HEADER, signContext } from '@medforge/shared-schema';

const TIMEOUT_MS = 3_000;

interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string }>;
}

/**
 * The gateway's own calls to one subgraph, for fields marked @inaccessible (absent from the public
 * supergraph): signed as the gateway service (no actor), bounded by a timeout, any GraphQL error thrown.
 */
export class DirectSubgraphClient {
  constructor(
    private readonly name: string,
    private readonly url: string,
    private readonly signingSecret: string,
  ) {}

  async query<T>(query: string, variables: Record<string, unknown>, requestId: string): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        [CONTEXT_HEADER]: signContext(
          { requestId, actor: null, service: 'gateway', issuedAt: Date.now() },
          this.signingSecret,
        ),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse<T>;
    if (!response.ok || body.errors?.length || !body.data) {
      throw new Error(`${this.name} answered ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
    }
    return body.data;
  }
}
