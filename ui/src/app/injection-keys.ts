import type { InjectionKey } from 'vue';

import type { AccountStore } from '../composables/account';
import type { Toasts } from '../composables/toasts';

export const ACCOUNT: InjectionKey<AccountStore> = Symbol('account');
export const TOASTS: InjectionKey<Toasts> = Symbol('toasts');
