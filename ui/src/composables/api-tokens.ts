import { useApolloClient, useQuery } from '@vue/apollo-composable';
import { computed, ref, toRef } from 'vue';

import {
  type ApiTokenFieldsFragment,
  type ApiTokenScope,
  CreateApiTokenDocument,
  MyApiTokensDocument,
  RevokeApiTokenDocument,
} from '../graphql/generated/graphql';
import { useAction } from './action';
import { loadStateOf } from './load-state';
import type { Toasts } from './toasts';

export type ApiTokenSummary = ApiTokenFieldsFragment;

export interface NewApiToken {
  name: string;
  scopes: ApiTokenScope[];
  expiresInDays: number | null;
}

/**
 * The signed-in user's API tokens: listed, created (the secret is kept here, shown once, and forgotten
 * when the user dismisses it or leaves the page) and revoked.
 */
export function useApiTokens(toasts: Toasts) {
  const { resolveClient } = useApolloClient();
  const { busy, error, run } = useAction();
  const mine = useQuery(MyApiTokensDocument);
  const load = loadStateOf(mine);
  const tokens = computed(() => mine.result.value?.me?.apiTokens ?? []);
  /** The secret of the token just created, until dismissed. */
  const created = ref<{ name: string; token: string } | null>(null);
  const replaceTokens = (change: (tokens: ApiTokenSummary[]) => ApiTokenSummary[]) =>
    resolveClient().cache.updateQuery({ query: MyApiTokensDocument }, (data) =>
      data?.me ? { ...data, me: { ...data.me, apiTokens: change(data.me.apiTokens) } } : data,
    );
  /** Resolves true once created; false leaves the form as it was, with `error` saying why. */
  const create = async (input: NewApiToken): Promise<boolean> => {
    let done = false;
    await run(async () => {
      const result = await resolveClient().mutate({ mutation: CreateApiTokenDocument, variables: { input } });
      const { token, apiToken } = result.data!.createApiToken;
      replaceTokens((list) => [apiToken, ...list]);
      created.value = { name: apiToken.name, token };
      done = true;
    });
    return done;
  };
  const revoke = (token: ApiTokenSummary) =>
    run(async () => {
      await resolveClient().mutate({ mutation: RevokeApiTokenDocument, variables: { id: token.id } });
      replaceTokens((list) => list.filter((t) => t.id !== token.id));
      toasts.show(`Token ${token.name} revoked; it no longer works`);
    });
  return {
    tokens,
    created,
    dismissCreated: () => (created.value = null),
    loading: toRef(load, 'loading'),
    loadError: toRef(load, 'error'),
    reload: load.retry,
    busy,
    error,
    create,
    revoke,
  };
}
