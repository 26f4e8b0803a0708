import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { testEnv } from '@medforge/shared-schema/testing';

import { freePort } from '../testkit/caddy';
import { ALLOWED_ORIGIN, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';

/**
 * The built gateway as its own process, logging at debug: what an operator's log holds after a client
 * sends bad, oversized or secret-carrying requests. Client errors are info lines without the request, and
 * no password, token or cookie is ever written.
 */
describe('gateway logs of client errors', () => {
  let stack: TestStack;
  let gateway: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    stack = await startTestStack();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = spawn(process.execPath, [path.resolve(__dirname, '..', '..', 'gateway', 'dist', 'main.js')], {
      env: testEnv({
        GATEWAY_PORT: String(port),
        IDENTITY_URL: stack.identity.url,
        SESSION_RUNTIME_URL: stack.sessionRuntime.url,
        COMPETITION_URL: stack.competition.url,
        LOG_LEVEL: 'debug',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    gateway.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    gateway.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await until('the gateway', 30_000, async () => {
      try {
        return (await fetch(`${url}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    });
  }, 60_000);

  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await stack?.stop();
  });

  it('logs refused requests at info without their bodies, and no password, token or cookie', async () => {
    const password = `Pw-${randomUUID()}`;
    const cookieToken = `tok${randomUUID().replace(/-/g, '')}`;
    const send = (pathname: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${url}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ALLOWED_ORIGIN, ...headers },
        body,
      });
    const brokenJson = `{"email": "x@example.org", "password": "${password}"`;
    expect((await send('/api/v2/auth/login', brokenJson)).status).toBe(400);
    expect((await send('/graphql', brokenJson)).status).toBe(400);
    expect(
      (await send('/graphql', JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(2 << 20), password }))).status,
    ).toBe(413);
    const email = uniqueEmail('logs');
    expect((await send('/api/v2/auth/signup', JSON.stringify({ email, password }))).status).toBe(201);
    expect((await send('/api/v2/auth/login', JSON.stringify({ email, password: `${password}-wrong` }))).status).toBe(
      401,
    );
    const login = `mutation($i: LoginInput!) { login(input: $i) { user { id } } }`;
    await send('/graphql', JSON.stringify({ query: login, variables: { i: { email, password: `${password}x` } } }), {
      cookie: `mf_session=${cookieToken}`,
      authorization: `Bearer ${cookieToken}`,
    });
    await send('/graphql', JSON.stringify({ query: '{ nope }', variables: { password } }), {
      cookie: `mf_session=${cookieToken}`,
    });

    await new Promise((resolve) => setTimeout(resolve, 500)); // let the child flush
    expect(output).not.toContain(password);
    expect(output).not.toContain(cookieToken);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    const refused = lines.filter((line) => line.msg === 'request refused');
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.every((line) => line.level === 'info')).toBe(true);
  });
});
