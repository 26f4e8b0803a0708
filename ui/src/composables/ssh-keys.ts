import { useApolloClient, useQuery } from '@vue/apollo-composable';
import { computed, toRef } from 'vue';

import {
  AddSshKeyDocument,
  DeleteSshKeyDocument,
  MySshKeysDocument,
  type SshKeyFieldsFragment,
} from '../graphql/generated/graphql';
import { useAction } from './action';
import { loadStateOf } from './load-state';
import type { Toasts } from './toasts';

export type SshKeySummary = SshKeyFieldsFragment;

/** The signed-in user's SSH public keys: listed, added (identity validates type and size), deleted. */
export function useSshKeys(toasts: Toasts) {
  const { resolveClient } = useApolloClient();
  const { busy, error, run } = useAction();
  const mine = useQuery(MySshKeysDocument);
  const load = loadStateOf(mine);
  const keys = computed(() => mine.result.value?.me?.sshKeys ?? []);
  const replaceKeys = (change: (keys: SshKeySummary[]) => SshKeySummary[]) =>
    resolveClient().cache.updateQuery({ query: MySshKeysDocument }, (data) =>
      data?.me ? { ...data, me: { ...data.me, sshKeys: change(data.me.sshKeys) } } : data,
    );
  /** Resolves true once the key is added; false leaves the form as it was, with `error` saying why. */
  const add = async (name: string, publicKey: string): Promise<boolean> => {
    let added = false;
    await run(async () => {
      const result = await resolveClient().mutate({
        mutation: AddSshKeyDocument,
        variables: { input: { name, publicKey } },
      });
      replaceKeys((list) => [...list, result.data!.addSshKey]);
      toasts.show(`Key ${name} added; running sessions have it now`);
      added = true;
    });
    return added;
  };
  const remove = (key: SshKeySummary) =>
    run(async () => {
      await resolveClient().mutate({ mutation: DeleteSshKeyDocument, variables: { id: key.id } });
      replaceKeys((list) => list.filter((k) => k.id !== key.id));
      toasts.show(`Key ${key.name} deleted; running sessions no longer accept it`);
    });
  return {
    keys,
    loading: toRef(load, 'loading'),
    loadError: toRef(load, 'error'),
    reload: load.retry,
    busy,
    error,
    add,
    remove,
  };
}
