import { ApiClient, DEFAULT_PASSWORD, uniqueEmail } from './client';
import { makeAdmin } from './seed';
import type { TestStack } from './stack';
import { until } from './wait';

export interface SignedIn {
  client: ApiClient;
  userId: string;
  email: string;
}

/** A new user, signed up (and so logged in) through the REST shim, as the console does it. */
export async function signedUpUser(stack: TestStack, label: string): Promise<SignedIn> {
  const client = new ApiClient(stack.gateway.url);
  const email = uniqueEmail(label);
  const userId = await client.signUp(email);
  return { client, userId, email };
}

/**
 * A new administrator: signed up, promoted in the database, then logged in afresh (the gateway caches
 * what a cookie stands for, role included, and a change made in the database announces nothing).
 */
export async function signedUpAdmin(stack: TestStack, label: string): Promise<SignedIn> {
  const admin = await signedUpUser(stack, label);
  await makeAdmin(stack, admin.userId);
  const login = await admin.client.post('/api/v2/auth/login', { email: admin.email, password: DEFAULT_PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return admin;
}

export interface SessionView {
  id: string;
  slug: string;
  status: string;
  errorMessage: string | null;
  [field: string]: unknown;
}

const SESSION_QUERY = 'query($id: ID!) { session(id: $id) { id slug status errorMessage snapshotName } }';

/** Starts an EXTERNAL session through the REST shim and waits until it runs; a failed start throws its message. */
export async function startRunningSession(
  client: ApiClient,
  timeoutMs = 90_000,
  body: Record<string, unknown> = {},
): Promise<SessionView> {
  const created = await client.post('/api/v2/external/sessions', body);
  if (created.status !== 201) throw new Error(`start refused: ${created.status} ${JSON.stringify(created.body)}`);
  const id = (created.body.data as SessionView).id;
  return await until('RUNNING', timeoutMs, async () => {
    const { body } = await client.graphql(SESSION_QUERY, { id });
    const session = body.data.session as SessionView;
    if (session.status === 'ERROR') throw new Error(`session failed: ${session.errorMessage}`);
    return session.status === 'RUNNING' ? session : undefined;
  });
}

/** Stops a session through the REST shim and waits until it is STOPPED; any other end throws. */
export async function stopSessionAndWait(client: ApiClient, id: string, timeoutMs = 60_000): Promise<SessionView> {
  const asked = await client.post(`/api/v2/external/sessions/${id}/stop`);
  if (asked.status !== 202) throw new Error(`stop refused: ${asked.status} ${JSON.stringify(asked.body)}`);
  return await until('STOPPED', timeoutMs, async () => {
    const session = (await client.graphql(SESSION_QUERY, { id })).body.data.session as SessionView;
    if (session.status === 'ERROR') throw new Error(`session ended ERROR: ${session.errorMessage}`);
    return session.status === 'STOPPED' ? session : undefined;
  });
}
