import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { ALLOWED_ORIGIN } from './client';

/**
 * A graphql-ws client of the gateway that sends a cookie and an Origin like a browser would; a script's
 * client passes other upgrade `headers` (Authorization) or `connectionParams` instead.
 */
export function wsClient(
  url: string,
  cookie: string | null,
  origin = ALLOWED_ORIGIN,
  options: { headers?: Record<string, string>; connectionParams?: Record<string, unknown> } = {},
): Client {
  const headers: Record<string, string> = { origin, ...options.headers };
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
    ...(options.connectionParams ? { connectionParams: options.connectionParams } : {}),
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

/**
 * Waits until the gateway holds `count` more subscriptions than `before` (its feeds' members): graphql-ws
 * does not acknowledge a subscribe, so an event published right after subscribing may otherwise race it.
 */
export async function untilSubscribed(
  gateway: { subscriptionStats(): { members: number } },
  before: number,
  count: number,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (gateway.subscriptionStats().members < before + count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} subscriptions to be established`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
