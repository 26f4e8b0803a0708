import { type ApolloClient, gql } from '@apollo/client/core';
import { computed, ref, watch } from 'vue';

import { useAction } from './action';
import { useLiveEvents } from './live';
import { useQuery } from './query';
import { upsertById } from './rows';

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
  const { busy, error, run } = useAction();
  const upsert = (session: SessionSummary) => {
    if (session.user.id === userId) sessions.value = upsertById(sessions.value, session);
  };

  useLiveEvents<{ sessionUpdated: SessionSummary }>(client, SESSION_UPDATES, (data) => upsert(data.sessionUpdated), {
    onError: (caught) => (error.value = `Live updates stopped: ${caught.message}`),
  });
  const mine = useQuery<{ mySessions: SessionSummary[] }>(client, MY_SESSIONS);
  watch(mine.data, (data) => (sessions.value = [...(data?.mySessions ?? [])]));

  // The session this page started last, and with what: if it fails, its error and a retry are shown
  // where the user clicked start.
  const lastStart = ref<{ id: string; exposure: Exposure; packId: string | null } | null>(null);
  const start = (exposure: Exposure, packId: string | null) =>
    run(async () => {
      const result = await client.mutate<{ createSession: SessionSummary }>({
        mutation: CREATE,
        variables: { exposure, packId },
      });
      upsert(result.data!.createSession);
      lastStart.value = { id: result.data!.createSession.id, exposure, packId };
    });
  const startFailure = computed(() => {
    const session = sessions.value.find((s) => s.id === lastStart.value?.id);
    return session?.status === 'ERROR' ? session : null;
  });
  const retryStart = () => lastStart.value && start(lastStart.value.exposure, lastStart.value.packId);
  const dismissStartFailure = () => (lastStart.value = null);
  const stop = (id: string) =>
    run(async () => {
      const result = await client.mutate<{ stopSession: SessionSummary }>({ mutation: STOP, variables: { id } });
      upsert(result.data!.stopSession);
    });

  const active = computed(() => sessions.value.filter((s) => ACTIVE_STATUSES.includes(s.status)));
  const past = computed(() => sessions.value.filter((s) => !ACTIVE_STATUSES.includes(s.status)));
  return {
    sessions,
    active,
    past,
    loading: mine.loading,
    loadError: mine.error,
    reload: mine.reload,
    busy,
    error,
    start,
    startFailure,
    retryStart,
    dismissStartFailure,
    stop,
  };
}
