import type { ApolloServer } from '@apollo/server';
import type { TypedOperation } from '@medforge/shared-schema';
import type { Response } from 'express';

import type { GatewayContext } from '../context';
import { gatewayContextOf } from '../http/request-context';
import { mapGraphQLErrors } from './graphql-errors';
import { sendProblem } from './respond';

/**
 * Runs an operation of the REST shim (rest/operations/*.graphql, typed by `npm run codegen`) in-process
 * through the same Apollo server (and so the same gateway, auth and
 * signing) that serves /graphql. Returns the data, or undefined after answering with a problem.
 */
export class OperationRunner {
  constructor(private readonly apollo: ApolloServer<GatewayContext>) {}

  async run<TData, TVariables extends Record<string, unknown>>(
    res: Response,
    operation: TypedOperation<TData, TVariables>,
    variables?: TVariables,
  ): Promise<TData | undefined> {
    // One operation per document (its fragments beside it), so Apollo needs no operation name.
    const query = operation.toString();
    const response = await this.apollo.executeOperation(
      { query, variables: variables ?? {} },
      { contextValue: gatewayContextOf(res) },
    );
    if (response.body.kind !== 'single') throw new Error(`${operationName(query)} returned an incremental result`);
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

function operationName(query: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'an operation';
}
