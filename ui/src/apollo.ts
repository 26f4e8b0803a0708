import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';

/**
 * One client for the console: queries and mutations over HTTP, subscriptions over graphql-ws on the same
 * /graphql endpoint. The platform cookie rides along on both (same origin).
 */
export function createApolloClient(uri = '/graphql'): {
  client: ApolloClient<unknown>;
  /** The live connection carries the identity it was opened with: open a new one after a sign-in or out. */
  reconnectLive: () => void;
} {
  const http = new HttpLink({ uri, credentials: 'same-origin' });
  const wsUrl = new URL(uri, window.location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const live = createClient({ url: wsUrl.toString(), lazy: true, retryAttempts: Infinity });
  const ws = new GraphQLWsLink(live);
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    ws,
    http,
  );
  // Every load here asks about now (an event just said something changed): sharing an identical request
  // already in flight would hand back the answer from before the change.
  const client = new ApolloClient({ link, cache: new InMemoryCache(), queryDeduplication: false });
  // Terminating is not fatal: subscriptions still wanted resume on a new socket with the new cookie.
  return { client, reconnectLive: () => live.terminate() };
}
