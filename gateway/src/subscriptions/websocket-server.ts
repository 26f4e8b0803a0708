import type { IncomingMessage, Server } from 'node:http';

import type { Logger } from '@medforge/shared-schema';
import { type ExecutionArgs, getOperationAST, GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';

import type { Authenticator } from '../auth/authenticator';
import { credentialOf, type CredentialResult } from '../auth/credential';
import { type ConnectionIdentities, ConnectionIdentity } from './connection-identity';
import { PreparedDocuments } from './prepared-documents';
import { subscribeWithResolvedPayloads } from './resolved-results';
import type { SubscriptionContext } from './subscription-schema';

export interface WebSocketOptions {
  cookieName: string;
  allowedOrigins: ReadonlySet<string>;
  schema: () => GraphQLSchema | null;
  authenticator: Authenticator;
  identities: ConnectionIdentities;
  logger: Logger;
}

/** More subscriptions than this on one connection are refused (each holds a mailbox and a feed seat). */
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;
/** Close code for a client dropped for not reading its messages ("try again later"). */
const CLOSE_TOO_SLOW = 1013;

type Extra = { request: IncomingMessage; socket: WebSocket };

/**
 * graphql-ws on the gateway's own HTTP server at /graphql. Browsers always send Origin on websocket
 * upgrades, so a foreign Origin is refused (no cross-site websocket hijacking); only subscriptions are
 * served here, queries and mutations go over HTTP. A client authenticates with the login cookie or an API
 * token, as `Authorization: Bearer` on the upgrade or `authorization` in the connection_init payload
 * (for clients that cannot set headers); a token that does not work closes the connection (4403). The
 * credential is resolved once per connection (ConnectionIdentity), not per event.
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
  const identities = new WeakMap<object, ConnectionIdentity>();
  const documents = new PreparedDocuments();
  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema: () => {
        const schema = options.schema();
        if (!schema) throw new Error('the supergraph is not loaded yet');
        return schema;
      },
      onConnect: async (ctx) => {
        const { credential, rejected } = credentialFor(ctx.extra.request, ctx.connectionParams, options.cookieName);
        if (rejected) return false;
        const identity = await ConnectionIdentity.establish(credential, options.authenticator);
        // A cookie that no longer works is just an anonymous visitor; a token that does not work is refused.
        if (credential?.kind === 'api-token' && identity.actor === null) return false;
        identities.set(ctx, identity);
        options.identities.add(identity);
        return true;
      },
      onClose: (ctx) => {
        const identity = identities.get(ctx);
        if (identity) options.identities.remove(identity);
      },
      context: (ctx): SubscriptionContext => ({
        identity: identities.get(ctx)!,
        dropSlowConsumer: (reason) => {
          options.logger.warn({ reason }, 'dropping a websocket client that does not keep up');
          ctx.extra.socket.close(CLOSE_TOO_SLOW, 'Too slow: reconnect and subscribe again');
        },
      }),
      subscribe: subscribeWithResolvedPayloads,
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`)];
        }
        const schema = options.schema();
        if (!schema) return [new GraphQLError('The API is starting; try again in a moment')];
        const prepared = documents.prepare(schema, payload.query);
        if ('errors' in prepared) return prepared.errors;
        const operation = getOperationAST(prepared.document, payload.operationName ?? undefined);
        if (operation?.operation !== 'subscription') {
          return [
            new GraphQLError('Only subscriptions are served over websocket; send queries and mutations over HTTP'),
          ];
        }
        return {
          schema,
          document: prepared.document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
        };
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
