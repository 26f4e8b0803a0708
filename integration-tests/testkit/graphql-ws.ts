import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { ALLOWED_ORIGIN } from './client';

/** A graphql-ws client of the gateway that sends a cookie and an Origin like a browser would. */
export function wsClient(url: string, cookie: string | null, origin = ALLOWED_ORIGIN): Client {
  const headers: Record<string, string> = { origin };
  if (cookie) headers['cookie'] = cookie;
  class AuthenticatedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({
    url: url.replace('http', 'ws') + '/graphql',
    webSocketImpl: AuthenticatedWebSocket,
    retryAttempts: 0,
    lazy: true,
  });
}

export interface Collected {
  events: any[];
  errors: any[];
  stop: () => void;
}

/** Subscribes and gathers every payload and error until `stop()`. */
export function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Collected {
  const collected: Collected = { events: [], errors: [], stop: () => undefined };
  collected.stop = client.subscribe(
    { query, variables },
    {
      next: (value) => (value.errors ? collected.errors.push(...value.errors) : collected.events.push(value.data)),
      error: (error) => (Array.isArray(error) ? collected.errors.push(...error) : collected.errors.push(error)),
      complete: () => undefined,
    },
  );
  return collected;
}
