import { createApp } from 'vue';

import { createApolloClient } from './apollo';
import App from './App.vue';
import { APOLLO_CLIENT } from './injection-keys';

createApp(App).provide(APOLLO_CLIENT, createApolloClient()).mount('#app');
