import { DefaultApolloClient } from '@vue/apollo-composable';
import { createApp } from 'vue';

import App from './App.vue';
import { createApolloClient } from './app/apollo';
import { ACCOUNT, TOASTS } from './app/injection-keys';
import { createConsoleRouter } from './app/router';
import { createAccountStore } from './composables/account';
import { createToasts } from './composables/toasts';
import './styles.css';

const { client, reconnectLive } = createApolloClient();
const account = createAccountStore(client, reconnectLive);
createApp(App)
  .provide(DefaultApolloClient, client)
  .provide(ACCOUNT, account)
  .provide(TOASTS, createToasts())
  .use(createConsoleRouter(account))
  .mount('#app');
