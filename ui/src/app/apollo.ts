import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';

/**
 * The normalized cache: a session, submission or user is one object however many queries and events carry
 * it, so an event's payload updates every list that shows it. Types without an `id` say what identifies them.
 */
export function createConsoleCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Gpu: { keyFields: ['index'] },
      Competition: { keyFields: ['slug'] },
      // A competition's board is replaced whole by each leaderboardUpdated payload.
      LeaderboardPage: { keyFields: false, merge: false },
      User: { fields: { submissions: { keyArgs: ['competitionSlug'], merge: false } } },
    },
  });
}

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
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(live),
    http,
  );
  const client = new ApolloClient({
    link,
    cache: createConsoleCache(),
    // A page shows the cache at once and asks the API for now; events keep it current after that.
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' } },
  });
  // Terminating is not fatal: subscriptions still wanted resume on a new socket with the new cookie.
  return { client, reconnectLive: () => live.terminate() };
}
