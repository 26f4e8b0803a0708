import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';

import type { Logger } from '@medforge/shared-schema';
import { getOperationAST, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

import type { Authenticator } from '../auth/authenticator';
import { credentialOf, type CredentialResult } from '../auth/credential';
import { queryLimitRules } from '../plugins/query-limits';
import type { SubscriptionContext } from './subscription-schema';

export interface WebSocketOptions {
  cookieName: string;
  allowedOrigins: ReadonlySet<string>;
  schema: () => GraphQLSchema | null;
  authenticator: Authenticator;
  logger: Logger;
}

/**
 * graphql-ws on the gateway's own HTTP server at /graphql. Browsers always send Origin on websocket
 * upgrades, so a foreign Origin is refused (no cross-site websocket hijacking); only subscriptions are
 * served here, queries and mutations go over HTTP. A client authenticates with the login cookie or an API
 * token, as `Authorization: Bearer` on the upgrade or `authorization` in the connection_init payload
 * (for clients that cannot set headers); a token that does not work closes the connection (4403).
 */
export function attachSubscriptionServer(server: Server, options: WebSocketOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const origin = req.headers.origin;
      return origin === undefined || options.allowedOrigins.has(origin);
    },
  });
  const cleanup = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      schema: () => {
        const schema = options.schema();
        if (!schema) throw new Error('the supergraph is not loaded yet');
        return schema;
      },
      onConnect: async ({ extra, connectionParams }) => {
        const { credential, rejected } = credentialFor(extra.request, connectionParams, options.cookieName);
        if (rejected) return false;
        if (credential?.kind !== 'api-token') return true;
        return (await options.authenticator.authenticate(credential, `req_${randomUUID()}`)) !== null;
      },
      context: ({ extra, connectionParams }): SubscriptionContext => ({
        credential: credentialFor(extra.request, connectionParams, options.cookieName).credential,
        clientIp: extra.request.socket.remoteAddress ?? null,
        requestId: () => `req_${randomUUID()}`,
      }),
      // The query limits of HTTP apply to subscriptions too (each event runs the selection again).
      validate: (schema, document) => validate(schema, document, [...specifiedRules, ...queryLimitRules()]),
      onSubscribe: (_ctx, _id, payload) => {
        let operation;
        try {
          operation = getOperationAST(parse(payload.query), payload.operationName ?? undefined);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Invalid GraphQL document')];
        }
        if (operation?.operation !== 'subscription') {
          return [
            new GraphQLError('Only subscriptions are served over websocket; send queries and mutations over HTTP'),
          ];
        }
        return undefined;
      },
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wss,
  );
  return {
    close: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function credentialFor(
  request: IncomingMessage,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  cookieName: string,
): CredentialResult {
  const fromParams = connectionParams?.['authorization'];
  return credentialOf(
    {
      authorization: typeof fromParams === 'string' ? fromParams : request.headers.authorization,
      cookie: request.headers.cookie,
    },
    cookieName,
  );
}
