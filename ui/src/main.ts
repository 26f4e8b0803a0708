import { createApp } from 'vue';

import { createAccountStore } from './account';
import { createApolloClient } from './apollo';
import App from './App.vue';
import { ACCOUNT, APOLLO_CLIENT } from './injection-keys';
import { createConsoleRouter } from './router';
import './styles.css';

const { client, reconnectLive } = createApolloClient();
const account = createAccountStore(client, reconnectLive);
createApp(App).provide(APOLLO_CLIENT, client).provide(ACCOUNT, account).use(createConsoleRouter(account)).mount('#app');
