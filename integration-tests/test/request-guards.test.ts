import { CONTEXT_HEADER, signContext } from '@medforge/shared-schema';
import { TEST_SIGNING_SECRET } from '@medforge/shared-schema/testing';

import { ALLOWED_ORIGIN, ApiClient, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';
import { makeAdmin } from '../testkit/seed';

const LOGOUT = 'mutation { logout }';

describe('origin allowlist on state-changing requests (CSRF)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  const withOrigin = (origin: string | null, referer?: string) => {
    const client = new ApiClient(stack.gateway.url);
    client.origin = origin;
    const headers: Record<string, string> = referer ? { referer } : {};
    return { client, headers };
  };

  it.each([
    ['no Origin and no Referer', null, undefined],
    ['a foreign Origin', 'https://evil.example', undefined],
    ['a look-alike Origin', 'http://medforge.localhost.evil.example:8080', undefined],
    ['the right host on another port', 'http://medforge.localhost:9999', undefined],
    ['a foreign Referer', null, 'https://evil.example/page'],
    ['a null Origin (sandboxed frame)', 'null', undefined],
  ])('refuses a GraphQL mutation with %s', async (_label, origin, referer) => {
    const { client, headers } = withOrigin(origin, referer);
    const r = await client.request('POST', '/graphql', { query: LOGOUT }, headers);
    expect(r.body.errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it.each([
    ['the console origin', ALLOWED_ORIGIN, undefined],
    ['the API host', 'http://api.medforge.localhost:8080', undefined],
    ['the internal surface', 'http://internal.medforge.localhost:8080', undefined],
    ['an allowed Referer without Origin', null, `${ALLOWED_ORIGIN}/sessions`],
  ])('accepts a GraphQL mutation from %s', async (_label, origin, referer) => {
    const { client, headers } = withOrigin(origin, referer);
    const r = await client.request('POST', '/graphql', { query: LOGOUT }, headers);
    expect(r.body).toEqual({ data: { logout: false } });
  });

  it('lets queries through without an Origin', async () => {
    const { client } = withOrigin(null);
    expect((await client.graphql('{ competitions { slug } }')).body.errors).toBeUndefined();
  });

  it('refuses a REST login from a foreign origin with a 403 problem, before checking credentials', async () => {
    const { client } = withOrigin('https://evil.example');
    const r = await client.post('/api/v2/auth/login', { email: uniqueEmail('x'), password: 'whatever123' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('does not run mutations sent as GET or as a text/plain form post', async () => {
    const get = await fetch(`${stack.gateway.url}/graphql?query=${encodeURIComponent(LOGOUT)}`, {
      headers: { origin: ALLOWED_ORIGIN, 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(405);
    const form = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ query: LOGOUT }),
    });
    expect(form.status).toBe(400);
  });
});

describe('forged identity headers sent to the gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('ignores a client-supplied signed context, even one signed with the real key', async () => {
    const forged = signContext(
      { requestId: 'evil', actor: { userId: 'x', role: 'admin', canUseInternal: true }, issuedAt: Date.now() },
      TEST_SIGNING_SECRET,
    );
    const r = await new ApiClient(stack.gateway.url).request(
      'POST',
      '/graphql',
      { query: '{ me { id } users { total } }' },
      { [CONTEXT_HEADER]: forged },
    );
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('cannot reach the gateway-only session resolver through the public API', async () => {
    const r = await new ApiClient(stack.gateway.url).graphql('{ resolveLoginSession(tokenHash: "00") { userId } }');
    expect(r.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('introspection and Apollo Sandbox in production', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let user: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack({ MEDFORGE_ENV: 'production', MEDFORGE_PUBLIC_URL: 'http://medforge.localhost:8080' });
    admin = new ApiClient(stack.gateway.url);
    user = new ApiClient(stack.gateway.url);
    const adminId = await admin.signUp(uniqueEmail('root'));
    await user.signUp(uniqueEmail('plain'));
    await makeAdmin(stack, adminId);
  });
  afterAll(() => stack?.stop());

  const INTROSPECTION = '{ __schema { queryType { name } } }';
  const VIA_FRAGMENT = '{ ...F } fragment F on Query { __type(name: "User") { name } }';

  it('answers introspection for admins only, also when hidden in a fragment', async () => {
    expect((await admin.graphql(INTROSPECTION)).body.data.__schema.queryType.name).toBe('Query');
    for (const query of [INTROSPECTION, VIA_FRAGMENT]) {
      expect((await user.graphql(query)).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await new ApiClient(stack.gateway.url).graphql(query)).body.errors[0].extensions.code).toBe(
        'UNAUTHENTICATED',
      );
    }
    expect((await user.graphql('{ competitions { __typename } }')).body.errors).toBeUndefined();
  });

  it('serves the Sandbox landing page to admins only', async () => {
    const page = (client: ApiClient) => client.request('GET', '/graphql', undefined, { accept: 'text/html' });
    const forAdmin = await fetch(`${stack.gateway.url}/graphql`, {
      headers: { accept: 'text/html', cookie: admin.cookie! },
    });
    expect(forAdmin.status).toBe(200);
    expect(await forAdmin.text()).toMatch(/<html/i);
    expect((await page(user)).status).toBe(403);
    expect((await page(new ApiClient(stack.gateway.url))).status).toBe(401);
  });

  it('marks the login cookie Secure outside development', async () => {
    const r = await new ApiClient(stack.gateway.url).post('/api/v2/auth/signup', {
      email: uniqueEmail('sec'),
      password: 'correct horse battery',
    });
    expect(r.headers.get('set-cookie')).toMatch(/; Secure/);
  });
});

describe('introspection and Apollo Sandbox in development', () => {
  let stack: TestStack;
  let user: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack({ MEDFORGE_ENV: 'development' });
    user = new ApiClient(stack.gateway.url);
    await user.signUp(uniqueEmail('dev'));
  });
  afterAll(() => stack?.stop());

  it('gives signed-in users introspection and the IDE page, and anonymous visitors neither', async () => {
    const INTROSPECTION = '{ __schema { queryType { name } } }';
    expect((await user.graphql(INTROSPECTION)).body.data.__schema.queryType.name).toBe('Query');
    const anonymous = await new ApiClient(stack.gateway.url).graphql(INTROSPECTION);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const page = (cookie: string | null) =>
      fetch(`${stack.gateway.url}/graphql`, { headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
    expect((await page(user.cookie)).status).toBe(200);
    expect((await page(null)).status).toBe(401);
    // Anonymous queries still work: only the API's shape is withheld.
    expect((await new ApiClient(stack.gateway.url).graphql('{ competitions { slug } }')).body.errors).toBeUndefined();
  });
});
