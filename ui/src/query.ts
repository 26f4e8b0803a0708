import type { ApolloClient, DocumentNode } from '@apollo/client/core';
import { type Ref, ref, shallowRef, watch } from 'vue';

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

/** Rows per page on the admin lists. */
export const PAGE_SIZE = 25;

/**
 * A server-side page of rows (`limit`/`offset` added to the variables): `rows` can be updated in place
 * by live events until the next load; `filter()` starts over at the first page, `move()` goes to one.
 */
export function usePagedQuery<T, R>(
  client: ApolloClient<unknown>,
  query: DocumentNode,
  variables: () => Record<string, unknown>,
  pick: (data: T) => { total: number; rows: R[] },
) {
  const offset = ref(0);
  const page = useQuery<T>(client, query, () => ({ ...variables(), limit: PAGE_SIZE, offset: offset.value }));
  const rows = shallowRef<R[]>([]);
  const total = ref(0);
  watch(page.data, (data) => {
    rows.value = data ? pick(data).rows : [];
    total.value = data ? pick(data).total : 0;
  });
  const move = (to: number) => {
    offset.value = to;
    void page.reload();
  };
  return { ...page, rows, total, offset, move, filter: () => move(0) };
}
