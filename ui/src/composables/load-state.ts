import type { UseQueryReturn } from '@vue/apollo-composable';
import { computed, reactive } from 'vue';

/**
 * What LoadState shows for a query: loading only until the first answer (later answers, events and
 * refetches update the content in place), the API's own error text, and asking again.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query's variables
export function loadStateOf<T>(query: UseQueryReturn<T, any>) {
  return reactive({
    loading: computed(() => query.loading.value && !query.result.value),
    error: computed(() => query.error.value?.message ?? null),
    retry: () => void query.refetch(),
  });
}
