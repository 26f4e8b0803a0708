import { CONTEXT_HEADER, type ServiceName, signContext } from './signed-context';

/**
 * An operation typed by codegen (codegen.server.ts: typed-document-node in string mode): its text, with
 * its result and variables as types, so a call cannot send variables or read fields the schema lacks.
 */
export interface TypedOperation<TData, TVariables> {
  /** Carries the types only; never set. */
  __apiType?: (variables: TVariables) => TData;
  toString(): string;
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string }>;
}

/**
 * The one way a MedForge service calls a subgraph on its own behalf: a signed *service* context (never a
 * user), a timeout, and any GraphQL error thrown. The fields it calls are @inaccessible (absent from the
 * public supergraph) and check the calling service. Used by the gateway (cookie resolution, session
 * routes) and by session-runtime (a session owner's SSH keys).
 */
export class ServiceClient {
  constructor(
    private readonly caller: ServiceName,
    /** The subgraph called, for error messages. */
    private readonly target: string,
    private readonly url: string,
    private readonly signingSecret: string,
    private readonly timeoutMs = 3_000,
  ) {}

  async query<T, TVariables>(
    operation: TypedOperation<T, TVariables>,
    variables: TVariables,
    requestId: string,
  ): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: {
        'content-type': 'application/json',
        [CONTEXT_HEADER]: signContext(
          { requestId, actor: null, service: this.caller, issuedAt: Date.now() },
          this.signingSecret,
        ),
      },
      body: JSON.stringify({ query: operation.toString(), variables }),
    });
    const body = (await response.json()) as GraphQLResponse<T>;
    if (!response.ok || body.errors?.length || !body.data) {
      throw new Error(`${this.target} answered ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
    }
    return body.data;
  }
}
