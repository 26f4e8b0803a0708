import type { ApolloClient } from '@apollo/client/core';
import type { InjectionKey } from 'vue';

export const APOLLO_CLIENT: InjectionKey<ApolloClient<unknown>> = Symbol('apollo-client');
