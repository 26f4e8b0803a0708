import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client/core';

/** One client for the console; the platform cookie rides along on same-origin requests. */
export function createApolloClient(uri = '/graphql'): ApolloClient<unknown> {
  return new ApolloClient({
    link: new HttpLink({ uri, credentials: 'same-origin' }),
    cache: new InMemoryCache(),
  });
}
