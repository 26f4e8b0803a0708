import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import { CONTEXT_HEADER, signContext } from '@medforge/shared-schema';
import { postGraphQL, serviceHeaders, signedHeaders, TEST_SIGNING_SECRET } from '@medforge/shared-schema/testing';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { collect, wsClient } from '../testkit/graphql-ws';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';
import { makeAdmin } from '../testkit/seed';

/**
 * The classes of finding from the black-box pass (issue 13), as an attacker on the host's loopback sends
 * them to the gateway: objects of other users reachable from one's own, malformed and oversized bodies,
 * unbounded documents (over HTTP and websocket), admin and exposure checks of the REST routes.
 */
describe('security: what an attacker can reach and send', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;
  let aliceId: string;
  let bobId: string;
  const bobsRunning = randomUUID();
  const alicesPast = randomUUID();
  const alicesRunning = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack();
    admin = new ApiClient(stack.gateway.url);
    alice = new ApiClient(stack.gateway.url);
    bob = new ApiClient(stack.gateway.url);
    const adminId = await admin.signUp(uniqueEmail('sec-admin'));
    aliceId = await alice.signUp(uniqueEmail('sec-alice'));
    bobId = await bob.signUp(uniqueEmail('sec-bob'));
    await makeAdmin(stack, adminId);
    // Rows as the allocator leaves them (these checks start nothing): Alice once used GPU 2, which Bob
    // holds now; Alice runs an EXTERNAL session on GPU 3.
    const knex = stack.sessionRuntime.knex;
    const packId = randomUUID();
    await knex('packs').insert({
      id: packId,
      name: 'default',
      image_ref: `sha256:${'d'.repeat(64)}`,
      is_default: true,
    });
    await knex('session_owners').insert([{ user_id: aliceId }, { user_id: bobId }]);
    const row = (id: string, userId: string, gpu: number, status: string, slug: string) => ({
      id,
      user_id: userId,
      exposure: 'external',
      pack_id: packId,
      gpu_id: gpu,
      status,
      slug,
      workspace_zfs: `${userId}/${id}`,
    });
    await knex('sessions').insert([
      row(alicesPast, aliceId, 2, 'stopped', 'alicepst'),
      row(bobsRunning, bobId, 2, 'running', 'bobrunnn'),
      row(alicesRunning, aliceId, 3, 'running', 'alicerun'),
    ]);
  });

  afterAll(() => stack?.stop());

  describe('objects reachable from your own', () => {
    const HELD_BY = '{ mySessions(limit: 10) { id gpu { index heldBy { id slug sshPort user { id } } } } }';

    it('does not show the session of whoever holds a GPU you once used (Gpu.heldBy from Session.gpu)', async () => {
      const r = await alice.graphql(HELD_BY);
      expect(r.body.errors).toBeUndefined();
      const byId = new Map(r.body.data.mySessions.map((s: { id: string }) => [s.id, s]));
      expect(byId.get(alicesPast)).toMatchObject({ gpu: { index: 2, heldBy: null } });
      // Her own running session is hers to see.
      expect(byId.get(alicesRunning)).toMatchObject({ gpu: { index: 3, heldBy: { id: alicesRunning } } });
      expect(JSON.stringify(r.body)).not.toContain(bobsRunning);
    });

    it('shows the holder to its owner and to administrators', async () => {
      const own = await bob.graphql(HELD_BY);
      expect(own.body.data.mySessions[0].gpu.heldBy.id).toBe(bobsRunning);
      const gpus = await admin.graphql('{ gpus { index heldBy { id } } }');
      expect(gpus.body.data.gpus.find((g: { index: number }) => g.index === 2).heldBy.id).toBe(bobsRunning);
    });

    it("keeps another user's private profile fields and sessions out of reach", async () => {
      const r = await alice.graphql('query($id: ID!) { user(id: $id) { id email sessions { id } } }', { id: bobId });
      expect(r.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain('FORBIDDEN');
      expect(JSON.stringify(r.body.data)).not.toContain(bobsRunning);
      expect(
        (await alice.graphql('query($id: ID!) { session(id: $id) { id } }', { id: bobsRunning })).body.data,
      ).toEqual({ session: null });
    });

    it("keeps another user's snapshots and session limits out of reach", async () => {
      for (const field of ['snapshots { id }', 'sessionLimits { cpus }']) {
        const r = await alice.graphql(`query($id: ID!) { user(id: $id) { id ${field} } }`, { id: bobId });
        expect({
          field,
          codes: r.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code),
        }).toEqual({
          field,
          codes: ['FORBIDDEN'],
        });
      }
    });
  });

  describe('bodies /graphql refuses as the client’s error, never a 500', () => {
    const raw = (body: string | Buffer, headers: Record<string, string> = {}, method = 'POST') =>
      fetch(`${stack.gateway.url}/graphql`, {
        method,
        headers: { 'content-type': 'application/json', origin: 'http://medforge.localhost:8080', ...headers },
        body,
      });

    it('answers 413 to a 10 MB body', async () => {
      const r = await raw(
        JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(10 * 1024 * 1024) } }),
      );
      expect(r.status).toBe(413);
      expect(((await r.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers 400 to invalid JSON', async () => {
      const r = await raw('{"query": "{ __typename }"');
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('answers 400 to a NUL inside a JSON string, in the query and in a variable', async () => {
      const inQuery = await raw('{"query": "{ __typename\\u0000 }"}');
      expect(inQuery.status).toBe(400);
      const inVariable = await raw(
        JSON.stringify({
          query: 'query($s: String!) { competition(slug: $s) { slug } }',
          variables: { s: 'a\u0000b' },
        }),
      );
      expect(inVariable.status).toBeLessThan(500);
    });

    it('reads a gzip-compressed body, and numbers every answer with X-Request-Id', async () => {
      const r = await raw(gzipSync(JSON.stringify({ query: '{ __typename }' })), { 'content-encoding': 'gzip' });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ data: { __typename: 'Query' } });
      expect(r.headers.get('x-request-id')).toMatch(/^req_/);
    });

    it('answers 405 to a method other than GET and POST, and still bounds its body', async () => {
      const put = await raw(JSON.stringify({ query: '{ __typename }' }), {}, 'PUT');
      expect(put.status).toBe(405);
      const huge = await raw(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), {}, 'PUT');
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers 403 to a mutation from a foreign Origin', async () => {
      const r = await raw(JSON.stringify({ query: 'mutation { logout }' }), { origin: 'https://evil.example' });
      expect(r.status).toBe(403);
      const body = (await r.json()) as any;
      expect(body.errors[0].extensions).toEqual({ code: 'ORIGIN_NOT_ALLOWED' });
    });
  });

  describe('documents too large to run', () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: gpuAvailability { total }`).join(' ')} }`;
    /** Session → gpu → heldBy (a Session again): two levels each time. */
    const nest = (levels: number) => {
      let selection = 'id';
      for (let i = 0; i < levels; i++) selection = `gpu { heldBy { ${selection} } }`;
      return selection;
    };
    const deep = (levels: number) => `{ mySessions { ${nest(levels)} } }`;

    it('refuses 1,000 aliases, anonymous, before running any', async () => {
      const r = await new ApiClient(stack.gateway.url).graphql(aliases(1000));
      expect(r.status).toBe(400);
      expect(r.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.body.errors[0].message).toMatch(/aliases/i);
      expect(r.body.data).toBeUndefined();
    });

    it('refuses a 201-level query', async () => {
      const r = await alice.graphql(deep(100));
      expect(r.status).toBe(400);
      expect(r.body.errors[0].message).toMatch(/depth/i);
    });

    it('still runs what the console sends', async () => {
      const r = await alice.graphql(
        '{ mySessions(limit: 50) { id slug exposure status sshPort errorMessage snapshotName createdAt startedAt stoppedAt pack { id name } gpu { index name } user { id } } }',
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.mySessions).toHaveLength(2);
    });

    it('applies the same limits to subscriptions over websocket', async () => {
      const client = wsClient(stack.gateway.url, alice.cookie);
      try {
        const manyAliases = `subscription { sessionUpdated { ${Array.from({ length: 100 }, (_, i) => `a${i}: id`).join(' ')} } }`;
        const tooDeep = `subscription { sessionUpdated { ${nest(10)} } }`;
        for (const query of [manyAliases, tooDeep]) {
          const got = collect(client, query);
          await until('a validation error', 10_000, async () => (got.errors.length > 0 ? true : undefined));
          expect(got.errors[0].message).toMatch(/aliases|depth/i);
          got.stop();
        }
      } finally {
        await client.dispose();
      }
    });
  });

  describe('service-to-service calls on the subgraph ports', () => {
    const code = (r: { body: { errors?: Array<{ extensions?: Record<string, unknown> }> } }) =>
      r.body.errors?.[0]?.extensions?.['code'];
    const keysOf = (headers: Record<string, string>) =>
      postGraphQL<{ sessionAuthorizedKeys: string[] }>(
        stack.identity.url,
        'query($id: ID!) { sessionAuthorizedKeys(userId: $id) }',
        { id: bobId },
        headers,
      );
    const aliceActor = () => ({ userId: aliceId, role: 'user' as const, canUseInternal: false });

    it("gives session-runtime a session owner's keys as itself, and nobody else", async () => {
      const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNJDWlEjPGATw9VOfV3x3mkrdSVh93tf8v3YbSCwFJA bob@laptop';
      expect((await bob.post('/api/v2/me/ssh-keys', { name: 'laptop', public_key: key })).status).toBe(201);
      const own = await keysOf(serviceHeaders('session-runtime'));
      expect(own.body.data?.sessionAuthorizedKeys).toEqual([key]);
      // A signed user (what session-runtime used to forge) and the wrong service are refused.
      expect(code(await keysOf(signedHeaders(aliceActor())))).toBe('FORBIDDEN');
      expect(code(await keysOf(signedHeaders({ userId: bobId, role: 'user', canUseInternal: false })))).toBe(
        'FORBIDDEN',
      );
      expect(code(await keysOf(serviceHeaders('gateway')))).toBe('FORBIDDEN');
      // And the public API does not have the field at all.
      const publicly = await alice.graphql('query($id: ID!) { sessionAuthorizedKeys(userId: $id) }', { id: bobId });
      expect(publicly.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('answers cookie resolution and session routes to the gateway service only', async () => {
      const resolve = (headers: Record<string, string>) =>
        postGraphQL(stack.identity.url, '{ resolveLoginSession(tokenHash: "00") { userId } }', {}, headers);
      const route = (headers: Record<string, string>) =>
        postGraphQL(stack.sessionRuntime.url, '{ sessionRoute(slug: "bobrunnn") { upstream } }', {}, headers);
      expect(code(await resolve(signedHeaders(aliceActor())))).toBe('FORBIDDEN');
      expect(code(await resolve(serviceHeaders('session-runtime')))).toBe('FORBIDDEN');
      expect((await resolve(serviceHeaders('gateway'))).body.errors).toBeUndefined();
      expect(code(await route(signedHeaders(aliceActor())))).toBe('FORBIDDEN');
      expect(code(await route(signedHeaders({ userId: aliceId, role: 'admin', canUseInternal: true })))).toBe(
        'FORBIDDEN',
      );
      expect((await route(serviceHeaders('gateway'))).body.errors).toBeUndefined();
    });

    it('refuses a service context that also names a user', async () => {
      const headers = {
        'content-type': 'application/json',
        [CONTEXT_HEADER]: signContext(
          { requestId: 'forged', actor: aliceActor(), service: 'session-runtime', issuedAt: Date.now() },
          TEST_SIGNING_SECRET,
        ),
      };
      const r = await keysOf(headers);
      expect(r.status).toBe(401);
      expect(code(r)).toBe('CONTEXT_SIGNATURE_INVALID');
    });
  });

  describe('REST routes check who and what the path names', () => {
    it('keeps /admin routes for administrators, even for an operation the user may run elsewhere', async () => {
      const own = await alice.post(`/api/v2/admin/sessions/${alicesRunning}/stop`);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('FORBIDDEN');
      expect((await new ApiClient(stack.gateway.url).get('/api/v2/admin/sessions')).status).toBe(401);
      expect((await alice.get('/api/v2/admin/gpus')).status).toBe(403);
      const row = await stack.sessionRuntime.knex('sessions').where({ id: alicesRunning }).first();
      expect(row.status).toBe('running');
    });

    it('refuses the INTERNAL list to a user without the entitlement', async () => {
      const r = await alice.get('/api/v2/internal/sessions/current');
      expect(r.status).toBe(403);
      expect(r.body.detail).toMatch(/internal entitlement/);
      expect((await alice.get('/api/v2/external/sessions/current')).status).toBe(200);
    });

    it('does not stop an EXTERNAL session through the INTERNAL path', async () => {
      const r = await alice.post(`/api/v2/internal/sessions/${alicesRunning}/stop`);
      expect(r.status).toBe(404);
      const row = await stack.sessionRuntime.knex('sessions').where({ id: alicesRunning }).first();
      expect(row.status).toBe('running');
    });
  });
});
