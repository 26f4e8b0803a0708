import { type ApolloClient, gql } from '@apollo/client/core';
import { computed, onMounted, onUnmounted, ref } from 'vue';

import { useAction } from './action';

export type SessionStatus = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'ERROR';
export type Exposure = 'EXTERNAL' | 'INTERNAL';
export const ACTIVE_STATUSES: readonly SessionStatus[] = ['STARTING', 'RUNNING', 'STOPPING'];

export interface SessionSummary {
  id: string;
  slug: string;
  exposure: Exposure;
  status: SessionStatus;
  sshPort: number | null;
  errorMessage: string | null;
  snapshotName: string | null;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
  pack: { id: string; name: string };
  gpu: { index: number; name: string };
  user: { id: string };
}

export interface Pack {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
}

export const SESSION_FIELDS =
  'id slug exposure status sshPort errorMessage snapshotName createdAt startedAt stoppedAt pack { id name } gpu { index name } user { id }';
const MY_SESSIONS = gql`query MySessions { mySessions(limit: 50) { ${SESSION_FIELDS} } }`;
const CREATE = gql`
  mutation CreateSession($exposure: Exposure!, $packId: ID) {
    createSession(exposure: $exposure, packId: $packId) { ${SESSION_FIELDS} }
  }`;
const STOP = gql`mutation StopSession($id: ID!) { stopSession(id: $id) { ${SESSION_FIELDS} } }`;
export const SESSION_UPDATES = gql`subscription SessionUpdates { sessionUpdated { ${SESSION_FIELDS} } }`;
export const PACKS = gql`
  query Packs {
    packs {
      id
      name
      description
      isDefault
    }
  }
`;

/**
 * The signed-in user's sessions, kept live by the sessionUpdated subscription (no reloads). Admins receive
 * every user's events on that subscription: only the user's own are kept here.
 */
export function useSessions(client: ApolloClient<unknown>, userId: string) {
  const sessions = ref<SessionSummary[]>([]);
  const loading = ref(true);
  const loadError = ref<string | null>(null);
  const { busy, error, run } = useAction();
  let subscription: { unsubscribe(): void } | null = null;

  const upsert = (session: SessionSummary) => {
    if (session.user.id !== userId) return;
    const index = sessions.value.findIndex((s) => s.id === session.id);
    if (index >= 0) sessions.value.splice(index, 1, session);
    else sessions.value.unshift(session);
  };

  const load = async () => {
    loading.value = true;
    loadError.value = null;
    try {
      const result = await client.query<{ mySessions: SessionSummary[] }>({
        query: MY_SESSIONS,
        fetchPolicy: 'network-only',
      });
      sessions.value = [...result.data.mySessions];
    } catch (caught) {
      loadError.value = (caught as Error).message;
    } finally {
      loading.value = false;
    }
  };

  onMounted(async () => {
    subscription = client.subscribe<{ sessionUpdated: SessionSummary }>({ query: SESSION_UPDATES }).subscribe({
      next: ({ data }) => data && upsert(data.sessionUpdated),
      error: (caught: Error) => (error.value = `Live updates stopped: ${caught.message}`),
    });
    await load();
  });
  onUnmounted(() => subscription?.unsubscribe());

  const start = (exposure: Exposure, packId: string | null) =>
    run(async () => {
      const result = await client.mutate<{ createSession: SessionSummary }>({
        mutation: CREATE,
        variables: { exposure, packId },
      });
      upsert(result.data!.createSession);
    });
  const stop = (id: string) =>
    run(async () => {
      const result = await client.mutate<{ stopSession: SessionSummary }>({ mutation: STOP, variables: { id } });
      upsert(result.data!.stopSession);
    });

  const active = computed(() => sessions.value.filter((s) => ACTIVE_STATUSES.includes(s.status)));
  const past = computed(() => sessions.value.filter((s) => !ACTIVE_STATUSES.includes(s.status)));
  return { sessions, active, past, loading, loadError, reload: load, busy, error, start, stop };
}
