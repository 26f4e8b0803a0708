import type { ApolloClient, DocumentNode } from '@apollo/client/core';
import { onMounted, onUnmounted } from 'vue';

/**
 * Follows a subscription while the calling component is mounted: `next` gets each event's data, and
 * `onError` learns when the stream ended with an error.
 */
export function useLiveEvents<T>(
  client: ApolloClient<unknown>,
  query: DocumentNode,
  next: (data: T) => void,
  options: { variables?: Record<string, unknown>; onError?: (error: Error) => void } = {},
): void {
  let subscription: { unsubscribe(): void } | null = null;
  onMounted(() => {
    subscription = client.subscribe<T>({ query, variables: options.variables }).subscribe({
      next: ({ data }) => data && next(data),
      error: (error: Error) => options.onError?.(error),
    });
  });
  onUnmounted(() => subscription?.unsubscribe());
}
