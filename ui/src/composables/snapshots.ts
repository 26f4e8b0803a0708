import { useApolloClient, useQuery } from '@vue/apollo-composable';
import { computed, toRef } from 'vue';

import { DeleteSnapshotDocument, MySnapshotsDocument, type SnapshotFieldsFragment } from '../graphql/generated/graphql';
import { useAction } from './action';
import { loadStateOf } from './load-state';
import type { Toasts } from './toasts';

export type SnapshotSummary = SnapshotFieldsFragment;

/** The snapshots of the signed-in user's home: listed newest first, deleted on request. */
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
  return {
    snapshots,
    loading: toRef(load, 'loading'),
    loadError: toRef(load, 'error'),
    reload: load.retry,
    refresh: () => void mine.refetch(),
    busy,
    error,
    remove,
  };
}
