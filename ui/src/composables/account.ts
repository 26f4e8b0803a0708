import type { ApolloClient } from '@apollo/client/core';
import { computed, ref } from 'vue';

import {
  type AccountFieldsFragment,
  LoginDocument,
  LogoutDocument,
  MeDocument,
  SignUpDocument,
} from '../graphql/generated/graphql';
import { useAction } from './action';

export type Account = AccountFieldsFragment;
export type Credentials = {
  mode: 'signIn' | 'signUp';
  email: string;
  password: string;
  /** Sign-up only: the public name (blank: a neutral one) and an invitation link's secret. */
  displayName?: string;
  inviteToken?: string | null;
};

/**
 * Who is signed in, shared by the whole console (router guards, navigation, pages). `ready` settles once
 * the first `me` answer is in, so guards never decide on a guess. Errors are the API's own text.
 */
export function createAccountStore(client: ApolloClient<unknown>, identityChanged: () => void = () => undefined) {
  const account = ref<Account | null>(null);
  const loadError = ref<string | null>(null);
  const { busy, error, run } = useAction();

  /** Asks again who is signed in (an administrator may have changed the account's entitlements). */
  const refresh = () =>
    client
      .query({ query: MeDocument, fetchPolicy: 'network-only' })
      .then(({ data }) => {
        account.value = data.me;
        loadError.value = null;
      })
      .catch((caught: Error) => void (loadError.value = caught.message));
  const ready = refresh();

  const submit = (credentials: Credentials) =>
    run(async () => {
      const input = { email: credentials.email, password: credentials.password };
      // What the cache holds belongs to whoever was signed in before.
      await client.clearStore();
      if (credentials.mode === 'signIn') {
        const result = await client.mutate({ mutation: LoginDocument, variables: { input } });
        account.value = result.data!.login.user;
      } else {
        const signUp = {
          ...input,
          displayName: credentials.displayName?.trim() || null,
          inviteToken: credentials.inviteToken ?? null,
        };
        const result = await client.mutate({ mutation: SignUpDocument, variables: { input: signUp } });
        account.value = result.data!.signUp.user;
      }
      identityChanged();
    });

  /** Signed in another way (a password reset link): this account, with a fresh cache. */
  const adopt = async (signedIn: Account) => {
    await client.clearStore();
    account.value = signedIn;
    identityChanged();
  };

  const signOut = () =>
    run(async () => {
      await client.mutate({ mutation: LogoutDocument });
      await client.clearStore();
      account.value = null;
      identityChanged();
    });

  const isAdmin = computed(() => account.value?.role === 'ADMIN');
  return { account, isAdmin, ready, refresh, loadError, busy, error, submit, adopt, signOut };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
