import { type ApolloClient, gql } from '@apollo/client/core';
import { onMounted, ref } from 'vue';

export interface CompetitionSummary {
  slug: string;
  title: string;
  summary: string;
  metric: string;
  leaderboard: { totalEntries: number };
}

export interface PlatformOverview {
  competitions: CompetitionSummary[];
  gpuAvailability: { total: number; free: number };
}

// Touches competition (catalog, leaderboard) and session-runtime (GPUs) through the gateway.
export const PLATFORM_OVERVIEW = gql`
  query PlatformOverview {
    competitions {
      slug
      title
      summary
      metric
      leaderboard(limit: 1) {
        totalEntries
      }
    }
    gpuAvailability {
      total
      free
    }
  }
`;

/** Loads the overview once; exposes data, the API's error text, and loading state. */
export function usePlatformOverview(client: ApolloClient<unknown>) {
  const data = ref<PlatformOverview | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(true);
  onMounted(async () => {
    try {
      const result = await client.query<PlatformOverview>({ query: PLATFORM_OVERVIEW, fetchPolicy: 'network-only' });
      data.value = result.data;
    } catch (caught) {
      error.value = (caught as Error).message;
    } finally {
      loading.value = false;
    }
  });
  return { data, error, loading };
}
