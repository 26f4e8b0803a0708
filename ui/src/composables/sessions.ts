import { useApolloClient, useQuery } from '@vue/apollo-composable';
import { computed, ref, toRef, watch } from 'vue';

import {
  CreateSessionDocument,
  type Exposure,
  KeepSessionAliveDocument,
  MySessionsDocument,
  type SessionFieldsFragment,
  type SessionStatus,
  SessionUpdatesDocument,
  StopSessionDocument,
} from '../graphql/generated/graphql';
import { formatTime } from '../lib/format';
import { queuedText } from '../lib/session-queue';
import { outcomeOf } from '../lib/session-outcome';
import { useAction } from './action';
import { loadStateOf } from './load-state';
import type { Toasts } from './toasts';

export type SessionSummary = SessionFieldsFragment;
export type { Exposure, SessionStatus };
/** The sessions the console lists as current: waiting for a GPU, or active. */
export const ACTIVE_STATUSES: readonly SessionStatus[] = ['QUEUED', 'STARTING', 'RUNNING', 'STOPPING'];

/** What a start asks for: the network, the pack, a snapshot to open read-only, a name. */
export interface StartChoice {
  exposure: Exposure;
  packId: string | null;
  snapshotId?: string | null;
  name?: string | null;
  /** With every GPU taken, wait in the queue instead of being refused (the console's default). */
  waitForGpu?: boolean;
}

/**
 * The signed-in user's sessions. Events keep them current through the normalized cache (a changed session
 * is one object, updated wherever it shows); a session started elsewhere is added to the list. Admins
 * receive every user's events on that subscription: only the user's own join this list.
 */
export function useSessions(userId: string, toasts: Toasts) {
  const { resolveClient } = useApolloClient();
  const { busy, error, run } = useAction();
  const mine = useQuery(MySessionsDocument);
  mine.subscribeToMore({
    document: SessionUpdatesDocument,
    updateQuery: (previous, { subscriptionData }) => {
      const changed = subscriptionData.data.sessionUpdated;
      if (changed.user.id !== userId || previous.mySessions.some((s) => s.id === changed.id)) return previous;
      return { ...previous, mySessions: [changed, ...previous.mySessions] };
    },
    onError: (caught) => (error.value = `Live updates stopped: ${caught.message}`),
  });
  const load = loadStateOf(mine);
  const sessions = computed(() => mine.result.value?.mySessions ?? []);
  const add = (session: SessionSummary) =>
    resolveClient().cache.updateQuery({ query: MySessionsDocument }, (data) =>
      data && !data.mySessions.some((s) => s.id === session.id)
        ? { ...data, mySessions: [session, ...data.mySessions] }
        : data,
    );

  // Starting and stopping finish after the click: the outcome is told when it is in.
  const pending = new Map<string, 'start' | 'stop'>();
  watch(sessions, (now) => {
    for (const session of now) {
      const action = pending.get(session.id);
      if (!action) continue;
      const outcome = outcomeOf(action, session);
      if (!outcome) continue;
      pending.delete(session.id);
      toasts.show(outcome.text, outcome.tone);
    }
  });

  // The session this page started last, and with what: if it fails, its error and a retry are shown
  // where the user clicked start.
  const lastStart = ref<({ id: string } & StartChoice) | null>(null);
  /** Starts a session; with `snapshotId`, that snapshot of the user's home is mounted read-only at /snapshot. */
  const start = (choice: StartChoice) =>
    run(async () => {
      const result = await resolveClient().mutate({
        mutation: CreateSessionDocument,
        variables: {
          exposure: choice.exposure,
          packId: choice.packId,
          snapshotId: choice.snapshotId ?? null,
          name: choice.name ?? null,
          waitForGpu: choice.waitForGpu ?? true,
        },
      });
      const created = result.data!.createSession;
      add(created);
      pending.set(created.id, 'start');
      if (created.status === 'QUEUED') toasts.show(queuedText(created), 'ok');
      lastStart.value = { ...choice, id: created.id };
    });
  const startFailure = computed(() => {
    const session = sessions.value.find((s) => s.id === lastStart.value?.id);
    return session?.status === 'ERROR' ? session : null;
  });
  const retryStart = () => (lastStart.value ? start(lastStart.value) : undefined);
  const dismissStartFailure = () => (lastStart.value = null);
  const stop = (id: string) =>
    run(async () => {
      await resolveClient().mutate({ mutation: StopSessionDocument, variables: { id } });
      pending.set(id, 'stop');
    });

  /** "Keep running": no idle stop for one idle period (the announced stop, if any, is withdrawn). */
  const keepAlive = (id: string) =>
    run(async () => {
      const result = await resolveClient().mutate({ mutation: KeepSessionAliveDocument, variables: { id } });
      const until = result.data!.keepSessionAlive.keepAliveUntil;
      toasts.show(`Kept running${until ? ` until ${formatTime(until)}` : ''}`, 'ok');
    });

  const active = computed(() => sessions.value.filter((s) => ACTIVE_STATUSES.includes(s.status)));
  const past = computed(() => sessions.value.filter((s) => !ACTIVE_STATUSES.includes(s.status)));
  return {
    sessions,
    active,
    past,
    loading: toRef(load, 'loading'),
    loadError: toRef(load, 'error'),
    reload: load.retry,
    busy,
    error,
    start,
    startFailure,
    retryStart,
    dismissStartFailure,
    stop,
    keepAlive,
  };
}
