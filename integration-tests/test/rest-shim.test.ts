import { testEnv } from '@medforge/shared-schema/testing';

import { loadGatewayConfig, startGateway } from '@medforge/gateway';
import { startTestStack, type TestStack } from '../testkit/stack';

async function get(url: string) {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as Record<string, any>,
  };
}

describe('REST shim /api/v2', () => {
  let stack: TestStack;
  let api: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = `${stack.gateway.url}/api/v2`;
  });

  afterAll(() => stack?.stop());

  it('wraps data in the {data, meta} envelope with the request id', async () => {
    const { status, body, requestId } = await get(`${api}/competitions`);
    expect(status).toBe(200);
    expect(body['data'].map((c: { slug: string }) => c.slug)).toEqual([
      'cifar-100-classification',
      'rsna-pneumonia-detection',
      'titanic-survival',
    ]);
    expect(body['data'][0]).toMatchObject({
      metric: 'ACCURACY',
      daily_submission_cap: 10,
      submission_format: { id_column: 'id' },
    });
    expect(body['meta']).toEqual({ count: 3, request_id: requestId });
    expect(requestId).toMatch(/^req_[0-9a-f-]{36}$/);
  });

  it('serves competition detail, datasets and an empty leaderboard', async () => {
    expect((await get(`${api}/competitions/titanic-survival`)).body['data'].description).toMatch(
      /PassengerId,Survived/,
    );
    expect((await get(`${api}/datasets`)).body['data']).toHaveLength(3);
    expect((await get(`${api}/datasets/titanic`)).body['data'].license).toBeTruthy();
    const board = await get(`${api}/competitions/titanic-survival/leaderboard?limit=5`);
    expect(board.body).toMatchObject({ data: [], meta: { total_entries: 0, limit: 5, offset: 0 } });
  });

  it.each([
    ['/competitions/no-such-thing', 404, 'NOT_FOUND', /No competition named no-such-thing/],
    ['/datasets/nope', 404, 'NOT_FOUND', /No dataset named nope/],
    ['/competitions/Bad_Slug!', 400, 'BAD_USER_INPUT', /slug must be/],
    ['/competitions/titanic-survival/leaderboard?limit=abc', 400, 'BAD_USER_INPUT', /limit must be an integer/],
    ['/competitions/titanic-survival/leaderboard?limit=1000', 400, 'BAD_USER_INPUT', /limit must be between 1 and 100/],
    ['/competitions/titanic-survival/leaderboard?offset=-1', 400, 'BAD_USER_INPUT', /offset must be between/],
    ['/no/such/route', 404, 'NOT_FOUND', /No route for GET \/api\/v2\/no\/such\/route/],
  ])('answers %s with problem+json', async (path, status, code, detail) => {
    const response = await get(`${api}${path}`);
    expect(response.status).toBe(status);
    expect(response.type).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status,
      code,
      type: expect.stringMatching(/^https:\/\/medforge\.dev\/problems\//),
    });
    expect(response.body['detail']).toMatch(detail);
    expect(response.body['request_id']).toBe(response.requestId);
  });

  it('answers malformed JSON bodies with a 400 problem', async () => {
    const response = await fetch(`${api}/competitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"oops',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('BAD_USER_INPUT');
  });

  it('answers unknown non-API paths with a 404 problem', async () => {
    const response = await get(`${stack.gateway.url}/definitely-not-here`);
    expect(response.status).toBe(404);
    expect(response.body['code']).toBe('NOT_FOUND');
  });

  it('reports /healthz ok while every subgraph is up', async () => {
    const response = await get(`${stack.gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { identity: 'ok', 'session-runtime': 'ok', competition: 'ok' },
    });
  });
});

describe('gateway with a subgraph down', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await stack.competition.stop();
  });

  afterAll(async () => {
    // Stopping a subgraph twice is harmless (stop is idempotent): the rest stop, the databases go.
    await stack?.stop();
  });

  it('reports /healthz 503 degraded naming the unreachable subgraph', async () => {
    const response = await fetch(`${stack.gateway.url}/healthz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('degraded');
    expect(body.checks['competition']).toMatch(/^unreachable/);
    expect(body.checks['identity']).toBe('ok');
  });

  it('answers REST with a 502 problem instead of hanging or leaking internals', async () => {
    const response = await fetch(`${stack.gateway.url}/api/v2/competitions`);
    expect(response.status).toBe(502);
    const body = (await response.json()) as { code: string; detail: string };
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.detail).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });
});

describe('gateway whose subgraph rejects its signature (misconfigured secret)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('answers 502 without the subgraph URL or response', async () => {
    const misconfigured = await startGateway(
      loadGatewayConfig(
        testEnv({
          GATEWAY_PORT: '0',
          CONTEXT_SIGNING_SECRET: 'a-different-secret-that-subgraphs-reject!!',
          IDENTITY_URL: stack.identity.url,
          SESSION_RUNTIME_URL: stack.sessionRuntime.url,
          COMPETITION_URL: stack.competition.url,
        }),
      ),
    );
    try {
      const response = await fetch(`${misconfigured.url}/api/v2/competitions`);
      const text = await response.text();
      expect(response.status).toBe(502);
      expect(JSON.parse(text)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(text).not.toMatch(/127\.0\.0\.1|graphql|serviceName|signature/);
    } finally {
      await misconfigured.stop();
    }
  });
});
