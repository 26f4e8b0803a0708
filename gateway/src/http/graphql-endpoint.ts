import type { IncomingMessage, ServerResponse } from 'node:http';

import { type ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import {
  type Logger,
  MAX_ANONYMOUS_GRAPHQL_BODY_BYTES,
  MAX_SIGNED_IN_GRAPHQL_BODY_BYTES,
  requestErrorLog,
  requestErrorOf,
} from '@medforge/shared-schema';
import { json } from 'body-parser';

import type { GatewayContext } from '../context';
import { refuseRejectedTokenAsGraphQL, sendGraphQLError } from './graphql-response';
import { hasPath } from './has-path';
import { type EstablishedContext, type RequestContextDeps, requestContextFor } from './request-context';
import { newRequestId } from './request-id';

export const GRAPHQL_PATH = '/graphql';

export interface GraphQLEndpointDeps {
  apollo: ApolloServer<GatewayContext>;
  context: RequestContextDeps;
  logger: Logger;
}

/**
 * True for a request to /graphql with a body: POST, and the methods Apollo refuses (405) but whose body
 * must still be bounded. GET and HEAD (queries in the URL, the IDE's landing page) stay with Express;
 * sub-paths are the IDE's; a query string is Apollo's to read.
 */
export function isGraphQLRequestWithBody(req: IncomingMessage): boolean {
  return req.method !== 'GET' && req.method !== 'HEAD' && hasPath(req, GRAPHQL_PATH);
}

/**
 * `POST /graphql`, every query and mutation of the console and of integrators, served on plain node:http
 * ahead of Express (which keeps the REST shim, the IDE and GET queries): a request id, the request context,
 * the JSON body under its limit (1 MB anonymous, 12 MB signed in, for a submission sent inline), then
 * Apollo. Express's router and its Apollo integration were a seventh of the gateway's CPU per request.
 * A bearer token that does not work is refused with 401 (as `refuseRejectedToken` does for the rest); a
 * body that cannot be read is the client's error, in GraphQL's error shape with its HTTP status.
 */
export function graphqlEndpoint(deps: GraphQLEndpointDeps) {
  const readAnonymousBody = json({ limit: MAX_ANONYMOUS_GRAPHQL_BODY_BYTES });
  const readSignedInBody = json({ limit: MAX_SIGNED_IN_GRAPHQL_BODY_BYTES });

  const readBody = (req: IncomingMessage, res: ServerResponse, signedIn: boolean): Promise<unknown> =>
    new Promise((resolve, reject) =>
      (signedIn ? readSignedInBody : readAnonymousBody)(req, res, (error?: unknown) =>
        error
          ? reject(error instanceof Error ? error : new Error(String(error)))
          : resolve((req as { body?: unknown }).body),
      ),
    );

  const execute = async (req: IncomingMessage, res: ServerResponse, { context, tokenRejected }: EstablishedContext) => {
    if (tokenRejected) return refuseRejectedTokenAsGraphQL(res);
    let body: unknown;
    try {
      body = await readBody(req, res, context.actor !== null);
    } catch (error) {
      const refused = requestErrorOf(
        error,
        context.actor ? MAX_SIGNED_IN_GRAPHQL_BODY_BYTES : MAX_ANONYMOUS_GRAPHQL_BODY_BYTES,
      );
      if (!refused) throw error;
      deps.logger.info({ ...requestErrorLog(error), request_id: context.requestId }, 'request refused');
      return sendGraphQLError(res, refused.code, refused.detail);
    }
    const response = await deps.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method!.toUpperCase(),
        headers: headerMapOf(req),
        search: searchOf(req.url),
        body,
      },
      context: () => Promise.resolve(context),
    });
    await send(res, response);
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = newRequestId();
    res.setHeader('X-Request-Id', requestId);
    const fail = (error: unknown) => {
      deps.logger.error({ err: error, request_id: requestId }, 'gateway request failed');
      if (res.headersSent) res.destroy();
      else sendGraphQLError(res, 'INTERNAL', 'Internal error');
    };
    try {
      const established = requestContextFor(req, requestId, deps.context);
      const answered =
        established instanceof Promise
          ? established.then((ready) => execute(req, res, ready))
          : execute(req, res, established);
      answered.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function searchOf(url: string | undefined): string {
  const at = url?.indexOf('?') ?? -1;
  return at < 0 ? '' : url!.slice(at);
}

async function send(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  // Incremental delivery (@defer): each part as Apollo produces it.
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
