import { type ApolloClient, gql } from '@apollo/client/core';
import { computed, ref } from 'vue';

import { useAction } from './action';

export interface Account {
  id: string;
  email: string;
  displayName: string;
  role: 'USER' | 'ADMIN';
  canUseInternal: boolean;
}

const ACCOUNT_FIELDS = 'id email displayName role canUseInternal';
const ME = gql`query Me { me { ${ACCOUNT_FIELDS} } }`;
const LOGIN = gql`mutation Login($input: LoginInput!) { login(input: $input) { user { ${ACCOUNT_FIELDS} } } }`;
const SIGN_UP = gql`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { user { ${ACCOUNT_FIELDS} } } }`;
const LOGOUT = gql`
  mutation Logout {
    logout
  }
`;

export type Credentials = { mode: 'signIn' | 'signUp'; email: string; password: string };

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
      .query<{ me: Account | null }>({ query: ME, fetchPolicy: 'network-only' })
      .then(({ data }) => {
        account.value = data.me;
        loadError.value = null;
      })
      .catch((caught: Error) => void (loadError.value = caught.message));
  const ready = refresh();

  const submit = (credentials: Credentials) =>
    run(async () => {
      const input = { email: credentials.email, password: credentials.password };
      if (credentials.mode === 'signIn') {
        const result = await client.mutate<{ login: { user: Account } }>({ mutation: LOGIN, variables: { input } });
        account.value = result.data!.login.user;
      } else {
        const result = await client.mutate<{ signUp: { user: Account } }>({ mutation: SIGN_UP, variables: { input } });
        account.value = result.data!.signUp.user;
      }
      identityChanged();
    });

  const signOut = () =>
    run(async () => {
      await client.mutate({ mutation: LOGOUT });
      await client.clearStore();
      account.value = null;
      identityChanged();
    });

  const isAdmin = computed(() => account.value?.role === 'ADMIN');
  return { account, isAdmin, ready, refresh, loadError, busy, error, submit, signOut };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
