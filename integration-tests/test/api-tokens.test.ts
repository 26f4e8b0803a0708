import type { Client } from 'graphql-ws';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { collect, untilSubscribed, wsClient } from '../testkit/graphql-ws';
import { makeAdmin } from '../testkit/seed';
import { startTestStack, type TestStack } from '../testkit/stack';
import { untilTrue } from '../testkit/wait';

const CREATE = `mutation Create($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { token apiToken { id name prefix scopes expiresAt lastUsedAt sessionId } }
}`;

/** A script's client: the token in Authorization, no cookie, no Origin. */
class TokenClient extends ApiClient {
  constructor(
    baseUrl: string,
    readonly token: string,
  ) {
    super(baseUrl);
    this.origin = null;
  }

  override request(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}) {
    return super.request(method, path, body, { authorization: `Bearer ${this.token}`, ...extraHeaders });
  }
}

describe('API tokens: created signed in, used as Authorization: Bearer on /graphql, /api/v2 and graphql-ws', () => {
  let stack: TestStack;
  let ada: ApiClient;
  let adaId: string;
  let bob: ApiClient;
  let admin: ApiClient;
  const sockets: Client[] = [];

  const createToken = async (client: ApiClient, input: Record<string, unknown>) => {
    const response = await client.graphql(CREATE, { input });
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return response.body.data.createApiToken as { token: string; apiToken: { id: string; prefix: string } };
  };
  const codeOf = (response: { body: any }) => response.body.errors?.[0]?.extensions?.code ?? 'ok';

  beforeAll(async () => {
    stack = await startTestStack();
    ada = new ApiClient(stack.gateway.url);
    bob = new ApiClient(stack.gateway.url);
    admin = new ApiClient(stack.gateway.url);
    adaId = await ada.signUp(uniqueEmail('tok-ada'));
    await bob.signUp(uniqueEmail('tok-bob'));
    await makeAdmin(stack, await admin.signUp(uniqueEmail('tok-admin')));
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) await socket.dispose();
    await stack?.stop();
  });

  it('is shown once, stored hashed, and works without a cookie or an Origin', async () => {
    const created = await createToken(ada, { name: 'laptop CLI', scopes: ['READ', 'SUBMIT'], expiresInDays: 30 });
    expect(created.token).toMatch(/^mf_pat_[A-Za-z0-9_-]{43}$/);
    expect(created.apiToken).toMatchObject({
      name: 'laptop CLI',
      prefix: created.token.slice(0, 11),
      scopes: ['READ', 'SUBMIT'],
      lastUsedAt: null,
      sessionId: null,
    });
    const row = await stack.identity.knex('api_tokens').where({ id: created.apiToken.id }).first();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token);

    const script = new TokenClient(stack.gateway.url, created.token);
    const me = await script.graphql('{ me { id email } }');
    expect(me.body).toEqual({ data: { me: { id: adaId, email: expect.any(String) } } });
    const rest = await script.get('/api/v2/me');
    expect(rest.status).toBe(200);
    expect(rest.body.data.id).toBe(adaId);

    // A submission is a state change, yet needs no Origin: no browser sends a token by itself.
    const ids = Array.from({ length: 418 }, (_, i) => `${892 + i},0`).join('\n');
    const form = new FormData();
    form.append('file', new Blob([`PassengerId,Survived\n${ids}\n`]), 'zeros.csv');
    const upload = await fetch(`${stack.gateway.url}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.token}` },
      body: form,
    });
    expect(upload.status).toBe(201);

    const listed = await ada.get('/api/v2/me/tokens');
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: created.apiToken.id,
        scopes: ['READ', 'SUBMIT'],
        last_used_at: expect.any(String),
      }),
    ]);
  });

  it('may do only what its scopes open; admin rights need the ADMIN scope; tokens cannot mint tokens', async () => {
    const readOnly = new TokenClient(
      stack.gateway.url,
      (await createToken(ada, { name: 'ro', scopes: ['READ'] })).token,
    );
    const session = await readOnly.graphql('mutation { createSession(exposure: EXTERNAL) { id } }');
    expect(session.status).toBe(403);
    expect(session.body.errors[0]).toMatchObject({
      message: 'This API token lacks the SESSIONS scope that createSession needs',
      extensions: { code: 'FORBIDDEN' },
    });
    const rest = await readOnly.post('/api/v2/external/sessions');
    expect(rest.status).toBe(403);
    expect(rest.body.detail).toMatch(/lacks the SESSIONS scope/);
    // A fragment on the root does not hide a field from the check.
    const hidden = await readOnly.graphql(
      'mutation { ...M } fragment M on Mutation { addSshKey(input: { name: "x", publicKey: "y" }) { id } }',
    );
    expect(hidden.body.errors[0].message).toMatch(/lacks the SESSIONS scope that addSshKey needs/);
    const mint = await readOnly.graphql(CREATE, { input: { name: 'more', scopes: ['READ'] } });
    expect(mint.body.errors[0].message).toBe('createApiToken needs a signed-in login (the console), not an API token');
    // Public data stays public.
    expect(codeOf(await readOnly.graphql('{ competitions { slug } }'))).toBe('ok');

    expect(codeOf(await ada.graphql(CREATE, { input: { name: 'x', scopes: ['ADMIN'] } }))).toBe('FORBIDDEN');
    const adminRead = new TokenClient(
      stack.gateway.url,
      (await createToken(admin, { name: 'ro', scopes: ['READ'] })).token,
    );
    expect(codeOf(await adminRead.graphql('{ users { total } }'))).toBe('FORBIDDEN');
    // Without ADMIN the owner's role does not come along, also not through a field reachable by id.
    expect(codeOf(await adminRead.graphql(`{ user(id: "${adaId}") { email } }`))).toBe('FORBIDDEN');
    expect((await adminRead.get('/api/v2/admin/users')).status).toBe(403);
    const adminFull = new TokenClient(
      stack.gateway.url,
      (await createToken(admin, { name: 'ops', scopes: ['READ', 'ADMIN'] })).token,
    );
    expect(codeOf(await adminFull.graphql('{ users { total } }'))).toBe('ok');
    expect((await adminFull.get('/api/v2/admin/users')).status).toBe(200);
  });

  it('holds scopes on nested fields too, in GraphQL, REST and subscriptions', async () => {
    const submitOnly = new TokenClient(
      stack.gateway.url,
      (await createToken(ada, { name: 'submit only', scopes: ['SUBMIT'] })).token,
    );
    expect(codeOf(await submitOnly.graphql('{ me { id email submissions { id } } }'))).toBe('ok');
    for (const field of ['sessions { id }', 'snapshots { id }', 'sshKeys { id }', 'apiTokens { id }']) {
      const nested = await submitOnly.graphql(`{ me { ${field} } }`);
      expect(nested.status).toBe(403);
      expect(nested.body.errors[0].message).toMatch(new RegExp(`scope that User\\.${field.split(' ')[0]} needs`));
      expect(nested.body.data ?? null).toBeNull();
    }
    // The same data reached from another object, and through the REST shim.
    expect(codeOf(await submitOnly.graphql(`{ user(id: "${adaId}") { sessions { id } } }`))).toBe('FORBIDDEN');
    const rest = await submitOnly.get('/api/v2/me/tokens');
    expect(rest.status).toBe(403);
    expect(rest.body.detail).toMatch(/User\.apiTokens/);
    expect((await submitOnly.get('/api/v2/me/ssh-keys')).status).toBe(403);
    const socket = wsClient(stack.gateway.url, null, undefined, {
      connectionParams: { authorization: `Bearer ${submitOnly.token}` },
    });
    sockets.push(socket);
    const watching = collect(socket, 'subscription { submissionUpdated { id user { apiTokens { id } } } }');
    await untilTrue('nested refusal', 10_000, () => watching.errors.length > 0);
    expect(watching.errors[0].message).toMatch(/User\.apiTokens/);
  });

  it('lets a token without the ADMIN scope revoke only itself', async () => {
    const integration = await createToken(ada, { name: 'integration', scopes: ['READ'] });
    const sessionLike = await createToken(ada, { name: 'in a session', scopes: ['SUBMIT'] });
    const script = new TokenClient(stack.gateway.url, sessionLike.token);
    const attempt = await script.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', {
      id: integration.apiToken.id,
    });
    expect(attempt.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/may revoke only itself/),
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await script.request('DELETE', `/api/v2/me/tokens/${integration.apiToken.id}`)).status).toBe(403);
    const reader = new TokenClient(stack.gateway.url, integration.token);
    expect((await reader.get('/api/v2/me')).status).toBe(200); // still works
    // Itself: yes, and then it is gone.
    expect((await script.request('DELETE', `/api/v2/me/tokens/${sessionLike.apiToken.id}`)).status).toBe(200);
    expect((await script.get('/api/v2/me')).status).toBe(401);
    // The console (a login) revokes any of the owner's tokens; an admin's ADMIN token anyone's.
    const adminOps = new TokenClient(
      stack.gateway.url,
      (await createToken(admin, { name: 'ops', scopes: ['ADMIN'] })).token,
    );
    expect((await adminOps.request('DELETE', `/api/v2/admin/tokens/${integration.apiToken.id}`)).status).toBe(200);
    expect((await reader.get('/api/v2/me')).status).toBe(401);
  });

  it('refuses malformed, unknown, revoked and expired tokens with 401, even for public data', async () => {
    const unknown = new TokenClient(stack.gateway.url, `mf_pat_${'A'.repeat(43)}`);
    const graph = await unknown.graphql('{ competitions { slug } }');
    expect(graph.status).toBe(401);
    expect(graph.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(graph.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const malformed = await new ApiClient(stack.gateway.url).request('GET', '/api/v2/competitions', undefined, {
      authorization: 'Bearer not-a-token',
    });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const created = await createToken(ada, { name: 'short-lived', scopes: ['READ'] });
    const script = new TokenClient(stack.gateway.url, created.token);
    expect((await script.get('/api/v2/me')).status).toBe(200); // cached as valid ...
    const revoked = await ada.request('DELETE', `/api/v2/me/tokens/${created.apiToken.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.revoked_at).toEqual(expect.any(String));
    expect((await script.get('/api/v2/me')).status).toBe(401); // ... and revoking ends it at once.

    const expiring = await createToken(ada, { name: 'expiring', scopes: ['READ'], expiresInDays: 1 });
    await stack.identity
      .knex('api_tokens')
      .where({ id: expiring.apiToken.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect((await new TokenClient(stack.gateway.url, expiring.token).get('/api/v2/me')).status).toBe(401);

    // Bob cannot revoke Ada's token, nor learn that it exists.
    const other = await createToken(ada, { name: 'ada only', scopes: ['READ'] });
    expect((await bob.request('DELETE', `/api/v2/me/tokens/${other.apiToken.id}`)).status).toBe(404);
    expect(codeOf(await bob.graphql(`{ user(id: "${adaId}") { apiTokens { id } } }`))).toBe('FORBIDDEN');
  });

  it('uses the bearer token and ignores a cookie sent beside it', async () => {
    const created = await createToken(bob, { name: 'bob', scopes: ['READ'] });
    const mixed = await ada.request(
      'POST',
      '/graphql',
      { query: '{ me { id } }' },
      { authorization: `Bearer ${created.token}` },
    );
    expect(mixed.body.data.me.id).not.toBe(adaId);
  });

  it("stops a disabled user's tokens at once; admins list and revoke anyone's tokens", async () => {
    const carol = new ApiClient(stack.gateway.url);
    const carolId = await carol.signUp(uniqueEmail('tok-carol'));
    const created = await createToken(carol, { name: 'carol', scopes: ['READ'] });
    const script = new TokenClient(stack.gateway.url, created.token);
    expect((await script.get('/api/v2/me')).status).toBe(200);

    const listed = await admin.get(`/api/v2/admin/tokens?user_id=${carolId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([created.apiToken.id]);
    expect((await ada.get('/api/v2/admin/tokens')).status).toBe(403);

    expect((await admin.post(`/api/v2/admin/users/${carolId}/disable`)).status).toBe(200);
    expect((await script.get('/api/v2/me')).status).toBe(401);
    expect((await admin.post(`/api/v2/admin/users/${carolId}/enable`)).status).toBe(200);
    expect((await script.get('/api/v2/me')).status).toBe(200);

    expect((await admin.request('DELETE', `/api/v2/admin/tokens/${created.apiToken.id}`)).status).toBe(200);
    expect((await script.get('/api/v2/me')).status).toBe(401);
  });

  it('authenticates graphql-ws with the token (header or connection_init) and checks its scopes', async () => {
    const read = await createToken(ada, { name: 'ws', scopes: ['READ'] });
    const sessionsOnly = await createToken(ada, { name: 'sessions', scopes: ['SESSIONS'] });
    const open = (params: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const client = wsClient(stack.gateway.url, null, undefined, { connectionParams: params, headers });
      sockets.push(client);
      return client;
    };
    const query = 'subscription { submissionUpdated { id status } }';
    const subscribedBefore = stack.gateway.subscriptionStats().members;
    const viaParams = collect(open({ authorization: `Bearer ${read.token}` }), query);
    const viaHeader = collect(open({}, { authorization: `Bearer ${read.token}` }), query);
    const lacking = collect(open({ authorization: `Bearer ${sessionsOnly.token}` }), query);
    const forged = collect(open({ authorization: `Bearer mf_pat_${'B'.repeat(43)}` }), query);
    await untilTrue('refusals', 10_000, () => lacking.errors.length > 0 && forged.errors.length > 0);
    expect(lacking.errors[0].message).toBe(
      'This API token lacks the READ or SUBMIT scope that submissionUpdated needs',
    );
    expect(forged.events).toEqual([]);

    // Ada submits in the console; her scripts, watching with the token, see it.
    await untilSubscribed(stack.gateway, subscribedBefore, 2);
    const ids = Array.from({ length: 418 }, (_, i) => `${892 + i},1`).join('\n');
    const form = new FormData();
    form.append('file', new Blob([`PassengerId,Survived\n${ids}\n`]), 'ones.csv');
    const upload = await fetch(`${stack.gateway.url}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: { cookie: ada.cookie!, origin: ada.origin!, 'x-forwarded-for': ada.ip },
      body: form,
    });
    expect(upload.status).toBe(201);
    const id = ((await upload.json()) as any).data.id;
    await untilTrue('events via token', 10_000, () =>
      [viaParams, viaHeader].every((c) => c.events.some((e) => e.submissionUpdated.id === id)),
    );
    expect(viaParams.errors).toEqual([]);
    expect(viaHeader.errors).toEqual([]);
  });
});
