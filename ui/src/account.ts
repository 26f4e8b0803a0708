import { type ApolloClient, gql } from '@apollo/client/core';
import { onMounted, ref } from 'vue';

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

/** Who is signed in, and signing in, up and out. Errors are the API's own text, never swallowed. */
export function useAccount(client: ApolloClient<unknown>) {
  const account = ref<Account | null>(null);
  const loading = ref(true);
  const { busy, error, run } = useAction();

  onMounted(async () => {
    try {
      account.value = (await client.query<{ me: Account | null }>({ query: ME, fetchPolicy: 'network-only' })).data.me;
    } catch (caught) {
      error.value = (caught as Error).message;
    } finally {
      loading.value = false;
    }
  });

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
    });

  const signOut = () =>
    run(async () => {
      await client.mutate({ mutation: LOGOUT });
      await client.clearStore();
      account.value = null;
    });

  return { account, loading, busy, error, submit, signOut };
}
