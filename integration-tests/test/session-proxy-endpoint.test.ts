import http from 'node:http';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';

/** Straight to the gateway, as Caddy's forward_auth would call it (no Caddy: headers are ours to set). */
function ask(baseUrl: string, headers: Record<string, string>, path = '/api/v2/auth/session-proxy', method = 'GET') {
  const { port } = new URL(baseUrl);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('GET /api/v2/auth/session-proxy at the gateway', () => {
  let stack: TestStack;
  let alice: ApiClient;
  let slug: string;

  beforeAll(async () => {
    // The test client is on loopback; naming another proxy makes its X-Forwarded-Host untrusted.
    // No container is started here: the pack row only has to exist for the session row.
    stack = await startTestStack({
      TRUSTED_PROXIES: '10.9.8.7',
      MEDFORGE_DEFAULT_PACK_IMAGE: `sha256:${'0'.repeat(64)}`,
    });
    alice = new ApiClient(stack.gateway.url);
    const userId = await alice.signUp(uniqueEmail('proxy-endpoint'));
    slug = 'abcdefgh';
    await stack.sessionRuntime.knex('session_owners').insert({ user_id: userId }).onConflict().ignore();
    const [gpu] = (await stack.sessionRuntime.knex('gpu_devices').select('id').limit(1)) as Array<{ id: number }>;
    const [pack] = (await stack.sessionRuntime.knex('packs').select('id').limit(1)) as Array<{ id: string }>;
    await stack.sessionRuntime.knex('sessions').insert({
      id: crypto.randomUUID(),
      user_id: userId,
      exposure: 'external',
      pack_id: pack!.id,
      gpu_id: gpu!.id,
      status: 'running',
      slug,
      workspace_zfs: 'unused/by-this-test',
      container_ip: '172.30.0.200',
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('takes the host from Host when X-Forwarded-Host comes from an untrusted address', async () => {
    const host = `s-${slug}.external.medforge.localhost`;
    const granted = await ask(stack.gateway.url, { host, cookie: alice.cookie! });
    expect(granted.status).toBe(200);
    expect(granted.headers['x-upstream']).toBe(`mf-session-${slug}:8080`);
    expect(granted.headers['cache-control']).toBe('no-store');
    const spoofed = await ask(stack.gateway.url, {
      host: 'api.medforge.localhost',
      'x-forwarded-host': host,
      cookie: alice.cookie!,
    });
    expect(spoofed.status).toBe(404);
    expect(JSON.parse(spoofed.body)).toMatchObject({ code: 'NOT_FOUND', detail: 'Not a session host name' });
  });

  it('answers problem+json with a request id, and only on its exact path and GET/HEAD', async () => {
    const anonymous = await ask(stack.gateway.url, { host: `s-${slug}.external.medforge.localhost` });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(anonymous.body).request_id).toBe(anonymous.headers['x-request-id']);
    const host = { host: `s-${slug}.external.medforge.localhost`, cookie: alice.cookie! };
    expect((await ask(stack.gateway.url, host, '/api/v2/auth/session-proxy?slug=zzzzzzzz')).status).toBe(200);
    expect((await ask(stack.gateway.url, host, '/api/v2/auth/session-proxy', 'HEAD')).status).toBe(200);
    expect((await ask(stack.gateway.url, host, '/api/v2/auth/session-proxy/x')).status).toBe(404);
    expect((await ask(stack.gateway.url, host, '/api/v2/auth/session-proxy', 'POST')).status).toBe(404);
  });

  it('redirects a signed-out page visit to sign in, believing X-Forwarded-Uri from trusted proxies only', async () => {
    const answer = await ask(stack.gateway.url, {
      host: `s-${slug}.external.medforge.localhost`,
      accept: 'text/html',
      'x-forwarded-uri': '//evil.example/steal',
    });
    expect(answer.status).toBe(302);
    const next = new URL(answer.headers.location!).searchParams.get('next');
    expect(next).toBe(`http://s-${slug}.external.medforge.localhost:8080/`);
    const post = await ask(stack.gateway.url, {
      host: `s-${slug}.external.medforge.localhost`,
      accept: 'text/html',
      'x-forwarded-method': 'POST',
    });
    expect(post.status).toBe(401);
  });

  it('fails closed with 502 when session-runtime cannot be asked', async () => {
    const host = { host: 's-bcdefghi.external.medforge.localhost', cookie: alice.cookie! };
    await stack.sessionRuntime.stop();
    const answer = await ask(stack.gateway.url, host);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(answer.headers['x-upstream']).toBeUndefined();
  });
});
