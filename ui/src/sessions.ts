import { type ApolloClient, gql } from '@apollo/client/core';
import { onMounted, onUnmounted, ref } from 'vue';

import { useAction } from './action';

export type SessionStatus = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'ERROR';

export interface SessionSummary {
  id: string;
  slug: string;
  exposure: 'EXTERNAL' | 'INTERNAL';
  status: SessionStatus;
  sshPort: number | null;
  errorMessage: string | null;
  createdAt: string;
}

const SESSION_FIELDS = 'id slug exposure status sshPort errorMessage createdAt';
const MY_SESSIONS = gql`query MySessions { mySessions(limit: 20) { ${SESSION_FIELDS} } }`;
const CREATE = gql`mutation CreateSession($exposure: Exposure!) { createSession(exposure: $exposure) { ${SESSION_FIELDS} } }`;
const STOP = gql`mutation StopSession($id: ID!) { stopSession(id: $id) { ${SESSION_FIELDS} } }`;
const UPDATES = gql`subscription SessionUpdates { sessionUpdated { ${SESSION_FIELDS} } }`;

/** The signed-in user's sessions, kept live by the sessionUpdated subscription (no reloads). */
export function useSessions(client: ApolloClient<unknown>) {
  const sessions = ref<SessionSummary[]>([]);
  const loading = ref(true);
  const { busy, error, run } = useAction();
  let subscription: { unsubscribe(): void } | null = null;

  const upsert = (session: SessionSummary) => {
    const index = sessions.value.findIndex((s) => s.id === session.id);
    if (index >= 0) sessions.value.splice(index, 1, session);
    else sessions.value.unshift(session);
  };

  onMounted(async () => {
    subscription = client.subscribe<{ sessionUpdated: SessionSummary }>({ query: UPDATES }).subscribe({
      next: ({ data }) => data && upsert(data.sessionUpdated),
      error: (caught: Error) => (error.value = `Live updates stopped: ${caught.message}`),
    });
    try {
      const result = await client.query<{ mySessions: SessionSummary[] }>({
        query: MY_SESSIONS,
        fetchPolicy: 'network-only',
      });
      sessions.value = [...result.data.mySessions];
    } catch (caught) {
      error.value = (caught as Error).message;
    } finally {
      loading.value = false;
    }
  });
  onUnmounted(() => subscription?.unsubscribe());

  const start = (exposure: 'EXTERNAL' | 'INTERNAL') =>
    run(async () => {
      const result = await client.mutate<{ createSession: SessionSummary }>({
        mutation: CREATE,
        variables: { exposure },
      });
      upsert(result.data!.createSession);
    });
  const stop = (id: string) =>
    run(async () => {
      const result = await client.mutate<{ stopSession: SessionSummary }>({ mutation: STOP, variables: { id } });
      upsert(result.data!.stopSession);
    });

  return { sessions, loading, busy, error, start, stop };
}
