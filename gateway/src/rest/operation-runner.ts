import type { ApolloServer } from '@apollo/server';
import type { Response } from 'express';

import type { GatewayContext } from '../context';
import { gatewayContextOf } from '../http/request-context';
import { mapGraphQLErrors } from './graphql-errors';
import { sendProblem } from './respond';

/** A named GraphQL operation that a REST route executes against the supergraph. */
export interface NamedOperation {
  name: string;
  document: string;
}

export function defineOperation(document: string): NamedOperation {
  const match = /^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(document);
  if (!match?.[1]) throw new Error('REST operations must be named queries or mutations');
  return { name: match[1], document };
}

/**
 * Runs an operation in-process through the same Apollo server (and so the same gateway, auth and
 * signing) that serves /graphql. Returns the data, or undefined after answering with a problem.
 */
export class OperationRunner {
  constructor(private readonly apollo: ApolloServer<GatewayContext>) {}

  async run<TData>(
    res: Response,
    operation: NamedOperation,
    variables: Record<string, unknown> = {},
  ): Promise<TData | undefined> {
    const response = await this.apollo.executeOperation(
      { query: operation.document, operationName: operation.name, variables },
      { contextValue: gatewayContextOf(res) },
    );
    if (response.body.kind !== 'single') throw new Error(`${operation.name} returned an incremental result`);
    // Plugins (login cookie) write onto the operation's HTTP response; carry that onto the REST one.
    const setCookie = response.http.headers.get('set-cookie');
    if (setCookie) res.setHeader('Set-Cookie', setCookie);
    const { data, errors } = response.body.singleResult;
    if (errors?.length) {
      const mapped = mapGraphQLErrors(errors);
      sendProblem(res, mapped.code, mapped.detail, mapped.extensions);
      return undefined;
    }
    return data as TData;
  }
}
