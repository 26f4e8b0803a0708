import type { ApolloClient } from '@apollo/client/core';
import type { InjectionKey } from 'vue';

import type { AccountStore } from './account';

export const APOLLO_CLIENT: InjectionKey<ApolloClient<unknown>> = Symbol('apollo-client');
export const ACCOUNT: InjectionKey<AccountStore> = Symbol('account');
