import { inject } from 'vue';

import type { AccountStore } from '../composables/account';
import type { Toasts } from '../composables/toasts';
import { ACCOUNT, TOASTS } from './injection-keys';

/** The console's shared account store and toasts, as provided by main.ts (Apollo: @vue/apollo-composable). */
export function useConsole(): { account: AccountStore; toasts: Toasts } {
  const account = inject(ACCOUNT);
  const toasts = inject(TOASTS);
  if (!account || !toasts) throw new Error('useConsole() outside the console app');
  return { account, toasts };
}
