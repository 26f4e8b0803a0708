import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';

/**
 * One client for the console: queries and mutations over HTTP, subscriptions over graphql-ws on the same
 * /graphql endpoint. The platform cookie rides along on both (same origin).
 */
export function createApolloClient(uri = '/graphql'): ApolloClient<unknown> {
  const http = new HttpLink({ uri, credentials: 'same-origin' });
  const wsUrl = new URL(uri, window.location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new GraphQLWsLink(createClient({ url: wsUrl.toString(), lazy: true, retryAttempts: Infinity }));
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
  return new ApolloClient({ link, cache: new InMemoryCache(), queryDeduplication: false });
}
