import type { ApolloClient } from '@apollo/client/core';
import { inject } from 'vue';

import type { AccountStore } from './account';
import { ACCOUNT, APOLLO_CLIENT } from './injection-keys';

/** The console's shared client and account store, as provided by main.ts. */
export function useConsole(): { client: ApolloClient<unknown>; account: AccountStore } {
  const client = inject(APOLLO_CLIENT);
  const account = inject(ACCOUNT);
  if (!client || !account) throw new Error('useConsole() outside the console app');
  return { client, account };
}
