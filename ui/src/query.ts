import type { ApolloClient, DocumentNode } from '@apollo/client/core';
import { type Ref, ref, shallowRef } from 'vue';

/**
 * A query a page shows: `loading` until the first answer, `error` with the API's own text, `reload` to
 * ask again. Overlapping loads (a filter changed, an event arrived) show only the newest answer, so a
 * late stale one cannot put old state back.
 */
export function useQuery<T>(
  client: ApolloClient<unknown>,
  query: DocumentNode,
  variables: () => Record<string, unknown> = () => ({}),
) {
  const data: Ref<T | null> = shallowRef(null);
  const loading = ref(true);
  const error = ref<string | null>(null);
  let latest = 0;

  const reload = async () => {
    const ticket = ++latest;
    try {
      const result = await client.query<T>({ query, variables: variables(), fetchPolicy: 'network-only' });
      if (ticket !== latest) return;
      data.value = result.data;
      error.value = null;
    } catch (caught) {
      if (ticket === latest) error.value = (caught as Error).message;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  };
  void reload();
  return { data, loading, error, reload };
}
