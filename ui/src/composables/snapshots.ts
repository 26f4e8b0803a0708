import { useApolloClient, useQuery } from '@vue/apollo-composable';
import { computed, ref, toRef } from 'vue';

import {
  DeleteSnapshotDocument,
  HomeRestoreDocument,
  type HomeRestoreFieldsFragment,
  MySnapshotsDocument,
  RestoreSnapshotDocument,
  type SnapshotFieldsFragment,
} from '../graphql/generated/graphql';
import { useAction } from './action';
import { loadStateOf } from './load-state';
import type { Toasts } from './toasts';

export type SnapshotSummary = SnapshotFieldsFragment;

/** A restore is followed this often, and given up on (said so, not hidden) after this long. */
const RESTORE_POLL_MS = 1000;
const RESTORE_WATCH_MS = 60 * 60_000;

/**
 * The snapshots of the signed-in user's home: listed newest first, deleted, or restored into the home
 * (followed until it is done; the safety snapshot it takes first joins the list).
 */
export function useSnapshots(toasts: Toasts) {
  const { resolveClient } = useApolloClient();
  const { busy, error, run } = useAction();
  const mine = useQuery(MySnapshotsDocument, null, { fetchPolicy: 'cache-and-network' });
  const load = loadStateOf(mine);
  const snapshots = computed(() => mine.result.value?.mySnapshots ?? []);
  const remove = (snapshot: SnapshotSummary) =>
    run(async () => {
      const client = resolveClient();
      await client.mutate({ mutation: DeleteSnapshotDocument, variables: { id: snapshot.id } });
      client.cache.updateQuery({ query: MySnapshotsDocument }, (data) =>
        data ? { ...data, mySnapshots: data.mySnapshots.filter((s) => s.id !== snapshot.id) } : data,
      );
      // The session that took it no longer names it (the API clears it too).
      if (snapshot.session) {
        client.cache.modify({
          id: client.cache.identify({ __typename: 'Session', id: snapshot.session.id }),
          fields: { snapshotName: () => null },
        });
      }
      toasts.show(`Snapshot ${snapshot.name} deleted`);
    });
  const restoring = ref<HomeRestoreFieldsFragment | null>(null);
  const restore = (snapshot: SnapshotSummary) =>
    run(async () => {
      const client = resolveClient();
      const started = await client.mutate({ mutation: RestoreSnapshotDocument, variables: { id: snapshot.id } });
      let current = started.data!.restoreSnapshot;
      restoring.value = current;
      void mine.refetch();
      for (const deadline = Date.now() + RESTORE_WATCH_MS; current.status === 'RUNNING';) {
        if (Date.now() > deadline) throw new Error('The restore is taking long; reload the page to see how it ends');
        await new Promise((resolve) => setTimeout(resolve, RESTORE_POLL_MS));
        const answer = await client.query({
          query: HomeRestoreDocument,
          variables: { id: current.id },
          fetchPolicy: 'network-only',
        });
        current = answer.data!.homeRestore ?? current;
        restoring.value = current;
      }
      restoring.value = null;
      void mine.refetch();
      if (current.status === 'FAILED') throw new Error(current.errorMessage ?? 'The restore failed');
      toasts.show(
        `Home restored from ${current.snapshotName}; what was there before is in snapshot ${current.safetySnapshotName}`,
      );
    });
  return {
    snapshots,
    restoring,
    restore,
    loading: toRef(load, 'loading'),
    loadError: toRef(load, 'error'),
    reload: load.retry,
    refresh: () => void mine.refetch(),
    busy,
    error,
    remove,
  };
}
