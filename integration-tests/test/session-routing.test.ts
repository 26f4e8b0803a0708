import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';

import { chromium } from 'playwright-core';
import WebSocket from 'ws';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { type DevCaddy, freePort, proxiedRequest, startDevCaddy } from '../testkit/caddy';
import { devPackImageId } from '../testkit/pack';
import { applyDevFirewall } from '../testkit/firewall';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';
import { signedUpAdmin } from '../testkit/flows';

const REPO = path.resolve(__dirname, '..', '..');
const SCREENSHOTS = path.join(REPO, 'artifacts', 'screenshots');
const ECHO_PORT = 9000;

interface RunningSession {
  id: string;
  slug: string;
  container: string;
  ip: string;
}

/**
 * Session routing end to end: real Caddy with deploy/caddy/Caddyfile.dev, the gateway's forward auth,
 * real code-server sessions on Docker, ops/host/firewall-setup.sh applied to the host.
 */
describe('session routing through Caddy forward auth, and east-west isolation', () => {
  let stack: TestStack;
  let caddy: DevCaddy;
  let alice: ApiClient;
  let bob: ApiClient;
  let admin: ApiClient;
  let aliceSession: RunningSession;
  let bobSession: RunningSession;
  let aliceInternal: RunningSession;

  const hostOf = (session: RunningSession, exposure = 'external') =>
    `s-${session.slug}.${exposure}.medforge.localhost:${caddy.port}`;
  const cookieOf = (client: ApiClient) => ({ cookie: client.cookie! });
  const via = (session: RunningSession, requestPath: string, headers: Record<string, string> = {}, exposure?: string) =>
    proxiedRequest(caddy.port, hostOf(session, exposure), requestPath, headers);

  async function startRunning(client: ApiClient, exposure: 'external' | 'internal'): Promise<RunningSession> {
    const created = await client.post(`/api/v2/${exposure}/sessions`);
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const { id, slug } = created.body.data as { id: string; slug: string };
    await until(`session ${slug} RUNNING`, 90_000, async () => {
      const row = await stack.sessionRuntime.knex('sessions').where({ id }).first();
      if (row.status === 'error') throw new Error(row.error_message);
      return row.status === 'running' ? row : undefined;
    });
    const container = `mf-session-${slug}`;
    const ip = execFileSync('docker', [
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      container,
    ])
      .toString()
      .trim();
    // A tiny server inside the session tells which container answered and what it was sent; code-server
    // exposes it on /proxy/<port>/ like any port a user opens.
    execFileSync('docker', [
      'exec',
      '-d',
      container,
      'node',
      '-e',
      `require('http').createServer((q, s) => s.end(JSON.stringify({ who: ${JSON.stringify(slug)}, cookie: q.headers.cookie ?? null }))).listen(${ECHO_PORT}, '127.0.0.1')`,
    ]);
    // `exec -d` returns before node listens (seconds on a loaded machine): wait for it inside the container.
    const listening = `require('net').connect(${ECHO_PORT}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
    await until(`echo server in ${slug}`, 30_000, () => {
      try {
        execFileSync('docker', ['exec', container, 'node', '-e', listening], { stdio: 'ignore' });
        return Promise.resolve(true);
      } catch {
        return Promise.resolve(undefined);
      }
    });
    return { id, slug, container, ip };
  }

  /** A websocket upgrade to code-server through Caddy, as a browser on `host` would send it. */
  const upgrade = (host: string, headers: Record<string, string>) =>
    new Promise<{ opened: boolean; status: number }>((resolve) => {
      const socket = new WebSocket(
        `ws://127.0.0.1:${caddy.port}/?reconnectionToken=${crypto.randomUUID()}&reconnection=false&skipWebSocketFrames=false`,
        {
          headers: { ...headers, host },
          origin: `http://${host}`,
          handshakeTimeout: 10_000,
        },
      );
      socket.on('open', () => {
        socket.close();
        resolve({ opened: true, status: 101 });
      });
      socket.on('unexpected-response', (_request, response) => {
        response.resume();
        resolve({ opened: false, status: response.statusCode ?? 0 });
      });
      socket.on('error', () => resolve({ opened: false, status: 0 }));
    });

  /** Runs node inside a session container: can it open a TCP connection to host:port within 3 s? */
  function canConnect(from: RunningSession, host: string, port: number): boolean {
    const script = `const s = require('net').connect(${port}, ${JSON.stringify(host)});
      s.setTimeout(3000, () => { console.log('timeout'); process.exit(0); });
      s.on('connect', () => { console.log('connected'); process.exit(0); });
      s.on('error', (e) => { console.log(e.code); process.exit(0); });`;
    return execFileSync('docker', ['exec', from.container, 'node', '-e', script]).toString().trim() === 'connected';
  }

  beforeAll(async () => {
    // Development/test layout: Caddy on the host, so no container address is a trusted proxy source.
    applyDevFirewall();
    stack = await startTestStack({
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      SESSION_UPSTREAM_ADDRESSING: 'container-ip',
      SESSION_STOP_GRACE_SECONDS: '1',
      // Cached routes live until a session event replaces them: the stop test proves events do.
      SESSION_ROUTE_CACHE_TTL_MS: '300000',
    });
    caddy = await startDevCaddy(Number(new URL(stack.gateway.url).port));
    [alice, bob] = [0, 1].map(() => new ApiClient(stack.gateway.url)) as [ApiClient, ApiClient];
    const aliceId = await alice.signUp(uniqueEmail('alice'));
    await bob.signUp(uniqueEmail('bob'));
    admin = (await signedUpAdmin(stack, 'admin')).client;
    expect((await admin.post(`/api/v2/admin/users/${aliceId}/internal-access`, { allowed: true })).status).toBe(200);
    [aliceSession, bobSession, aliceInternal] = await Promise.all([
      startRunning(alice, 'external'),
      startRunning(bob, 'external'),
      startRunning(alice, 'internal'),
    ]);
  }, 300_000);

  afterAll(async () => {
    await caddy?.stop();
    await stack?.stop();
  });

  describe('HTTP', () => {
    it('lets the owner and admins through to code-server, and nobody else', async () => {
      const owner = await via(aliceSession, '/healthz', cookieOf(alice));
      expect(owner.status).toBe(200);
      expect(JSON.parse(owner.body)).toHaveProperty('status');
      expect((await via(aliceSession, '/healthz', cookieOf(admin))).status).toBe(200);

      const anonymous = await via(aliceSession, '/healthz');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.parse(anonymous.body)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      const other = await via(aliceSession, '/healthz', cookieOf(bob));
      expect(other.status).toBe(403);
      expect(JSON.parse(other.body)).toMatchObject({ code: 'FORBIDDEN' });
      expect((await via(aliceSession, '/healthz', { cookie: 'mf_session=forged-token' })).status).toBe(401);
    });

    it('sends a signed-out browser to the console sign-in, with the way back to the page it asked for', async () => {
      const page = await via(aliceSession, '/some/folder?x=1', { accept: 'text/html,application/xhtml+xml' });
      expect(page.status).toBe(302);
      const location = new URL(page.headers.location!);
      expect(`${location.origin}${location.pathname}`).toBe('http://medforge.localhost:8080/sign-in');
      expect(location.searchParams.get('next')).toBe(
        `http://s-${aliceSession.slug}.external.medforge.localhost:8080/some/folder?x=1`,
      );
      // Scripts, websockets and signed-in strangers still get the problem, never a redirect.
      expect((await via(aliceSession, '/some/folder', { accept: 'application/json' })).status).toBe(401);
      const stranger = await via(aliceSession, '/', { ...cookieOf(bob), accept: 'text/html' });
      expect(stranger.status).toBe(403);
      // A browser is told what happened on a page (through Caddy), with the way back to its sessions.
      expect(stranger.headers['content-type']).toMatch(/^text\/html/);
      expect(stranger.body).toContain('This session is someone else’s');
      expect(stranger.body).toContain('href="http://medforge.localhost:8080/sessions"');
      const unknown = await proxiedRequest(caddy.port, `s-aaaaaaaa.external.medforge.localhost:${caddy.port}`, '/', {
        ...cookieOf(alice),
        accept: 'text/html',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toContain('No session s-aaaaaaaa');
    });

    it('answers 404 for unknown slugs, the wrong exposure and non-session hosts', async () => {
      const unknown = await proxiedRequest(
        caddy.port,
        `s-aaaaaaaa.external.medforge.localhost:${caddy.port}`,
        '/',
        cookieOf(alice),
      );
      expect(unknown.status).toBe(404);
      expect((await via(aliceSession, '/healthz', cookieOf(alice), 'internal')).status).toBe(404);
      expect((await via(aliceInternal, '/healthz', cookieOf(alice), 'external')).status).toBe(404);
      const malformed = await proxiedRequest(
        caddy.port,
        `s-UPPER111.external.medforge.localhost:${caddy.port}`,
        '/',
        cookieOf(alice),
      );
      expect(malformed.status).toBe(404);
    });

    it('routes INTERNAL sessions on their own host, to entitled owners', async () => {
      // No host SSH port for INTERNAL (it would be egress); EXTERNAL ones have one.
      const portOf = async (id: string) => (await stack.sessionRuntime.knex('sessions').where({ id }).first()).ssh_port;
      expect(await portOf(aliceInternal.id)).toBeNull();
      expect(await portOf(aliceSession.id)).toEqual(expect.any(Number));
      expect((await via(aliceInternal, '/healthz', cookieOf(alice), 'internal')).status).toBe(200);
      expect((await via(aliceInternal, '/healthz', cookieOf(bob), 'internal')).status).toBe(403);
    });

    it('ignores client-sent X-Upstream, X-Forwarded-Host and query hints', async () => {
      const who = async (session: RunningSession, headers: Record<string, string>, query = '') => {
        const response = await via(session, `/proxy/${ECHO_PORT}/${query}`, headers);
        return { status: response.status, who: response.status === 200 ? JSON.parse(response.body).who : null };
      };
      // Bob on his own host, pointing Caddy at Alice's container: he still reaches only his own.
      expect(await who(bobSession, { ...cookieOf(bob), 'x-upstream': `${aliceSession.ip}:8080` })).toEqual({
        status: 200,
        who: bobSession.slug,
      });
      expect(await who(bobSession, { ...cookieOf(bob), 'x-forwarded-host': hostOf(aliceSession) })).toEqual({
        status: 200,
        who: bobSession.slug,
      });
      // Bob on Alice's host, claiming his own: refused.
      expect(
        (
          await who(aliceSession, {
            ...cookieOf(bob),
            'x-forwarded-host': hostOf(bobSession),
            'x-upstream': `${bobSession.ip}:8080`,
          })
        ).status,
      ).toBe(403);
      expect(
        (await who(aliceSession, cookieOf(bob), `?slug=${bobSession.slug}&upstream=${bobSession.ip}:8080`)).status,
      ).toBe(403);
      // Anonymous with an upstream of its choosing: refused before anything is dialled.
      expect((await who(aliceSession, { 'x-upstream': `${aliceSession.ip}:8080` })).status).toBe(401);
    });

    it('refuses the forward-auth endpoint on session hosts', async () => {
      for (const p of ['/api/v2/auth/session-proxy', '/API/v2/auth/session-proxy', '/api/v2/auth/session-proxy?x=1']) {
        expect((await via(aliceSession, p, cookieOf(alice))).status).toBe(403);
      }
    });

    it('blanks the platform cookie before the request reaches session code', async () => {
      const response = await via(aliceSession, `/proxy/${ECHO_PORT}/`, {
        cookie: `theme=dark; ${alice.cookie}; editor=vim`,
      });
      expect(response.status).toBe(200);
      const { cookie } = JSON.parse(response.body) as { cookie: string };
      expect(cookie).toBe('theme=dark; mf_session=; editor=vim');
    });
  });

  describe('websockets', () => {
    it("opens code-server's websocket for the owner and admins only", async () => {
      expect(await upgrade(hostOf(aliceSession), cookieOf(alice))).toEqual({ opened: true, status: 101 });
      expect(await upgrade(hostOf(aliceSession), cookieOf(admin))).toEqual({ opened: true, status: 101 });
      expect(await upgrade(hostOf(aliceSession), {})).toEqual({ opened: false, status: 401 });
      expect(await upgrade(hostOf(aliceSession), cookieOf(bob))).toEqual({ opened: false, status: 403 });
      expect(
        await upgrade(hostOf(aliceSession), { ...cookieOf(bob), 'x-upstream': `${aliceSession.ip}:8080` }),
      ).toEqual({
        opened: false,
        status: 403,
      });
      expect(await upgrade(hostOf(aliceSession), { ...cookieOf(bob), 'x-forwarded-host': hostOf(bobSession) })).toEqual(
        { opened: false, status: 403 },
      );
      expect(await upgrade(`s-aaaaaaaa.external.medforge.localhost:${caddy.port}`, cookieOf(alice))).toEqual({
        opened: false,
        status: 404,
      });
    });
  });

  it('shows the owner the VS Code workbench in headless Chromium', async () => {
    // The explorer lists workspace files over code-server's websocket: seeing this file proves it works.
    execFileSync('docker', ['exec', aliceSession.container, 'sh', '-c', 'echo hi > /workspace/notes-from-alice.txt']);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const [name, value] = alice.cookie!.split('=') as [string, string];
      // Leading dot: the cookie the gateway sets with Domain=medforge.localhost covers every session host.
      await context.addCookies([
        { name, value, domain: '.medforge.localhost', path: '/', httpOnly: true, sameSite: 'Lax' },
      ]);
      const page = await context.newPage();
      mkdirSync(SCREENSHOTS, { recursive: true });
      const response = await page.goto(`http://${hostOf(aliceSession)}/`);
      try {
        expect(response?.status()).toBe(200);
        await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
        await page.getByRole('treeitem', { name: /notes-from-alice\.txt/ }).waitFor({ timeout: 60_000 });
      } finally {
        await page.screenshot({ path: path.join(SCREENSHOTS, 'session-workbench.png') });
      }
    } finally {
      await browser.close();
    }
  }, 120_000);

  describe('east-west isolation (ops/host/firewall-setup.sh)', () => {
    let hostServer: Server;
    let hostPort: number;

    beforeAll(async () => {
      hostPort = await freePort();
      hostServer = createServer((socket) => socket.end('host\n'));
      await new Promise<void>((resolve) => hostServer.listen(hostPort, '0.0.0.0', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => hostServer.close(() => resolve())));

    it("keeps a session from another session's code-server, while the host (Caddy) reaches it", async () => {
      const direct = await fetch(`http://${bobSession.ip}:8080/healthz`, { signal: AbortSignal.timeout(5_000) });
      expect(direct.status).toBe(200);
      expect(canConnect(aliceSession, bobSession.ip, 8080)).toBe(false);
      expect(canConnect(bobSession, aliceSession.ip, 8080)).toBe(false);
      expect(canConnect(aliceSession, bobSession.ip, 2222)).toBe(false);
    }, 30_000);

    it('keeps sessions off the host and its services', () => {
      const gateway = execFileSync('docker', [
        'network',
        'inspect',
        '-f',
        '{{range .IPAM.Config}}{{.Gateway}}{{end}}',
        'medforge-external-sessions',
      ])
        .toString()
        .trim();
      // The server does answer on that address (from the host itself), so only the rules keep sessions out.
      execFileSync(
        'node',
        ['-e', `require('net').connect(${hostPort}, '${gateway}').on('connect', () => process.exit(0))`],
        {
          timeout: 5_000,
        },
      );
      expect(canConnect(aliceSession, gateway, hostPort)).toBe(false);
    }, 30_000);

    it('gives an INTERNAL session no way out of its network', () => {
      expect(canConnect(aliceInternal, bobSession.ip, 8080)).toBe(false);
      expect(canConnect(aliceInternal, '172.30.0.1', hostPort)).toBe(false);
    }, 30_000);
  });

  it('answers 404 once a stop has finalised', async () => {
    expect((await alice.post(`/api/v2/external/sessions/${aliceSession.id}/stop`)).status).toBe(202);
    await until('STOPPED', 60_000, async () => {
      const row = await stack.sessionRuntime.knex('sessions').where({ id: aliceSession.id }).first();
      return row.status === 'stopped' ? row : undefined;
    });
    const after = await via(aliceSession, '/healthz', cookieOf(alice));
    expect(after.status).toBe(404);
    expect(JSON.parse(after.body)).toMatchObject({ code: 'NOT_FOUND', detail: expect.stringMatching(/not running/) });
    expect(await upgrade(hostOf(aliceSession), cookieOf(alice))).toEqual({ opened: false, status: 404 });
  }, 90_000);

  it('fails closed with 502 when the upstream refuses, and closes the route once the container dies', async () => {
    // The container keeps its address while its code-server refuses connections: Caddy must answer
    // 502, nothing else.
    const refuse = [
      'OUTPUT',
      '-d',
      bobSession.ip,
      '-p',
      'tcp',
      '--dport',
      '8080',
      '-j',
      'REJECT',
      '--reject-with',
      'tcp-reset',
    ];
    execFileSync('iptables', ['-w', '10', '-I', ...refuse]);
    try {
      expect((await via(bobSession, '/healthz', cookieOf(bob))).status).toBe(502);
    } finally {
      execFileSync('iptables', ['-w', '10', '-D', ...refuse]);
    }
    // Docker's die event ends the session at once and the route with it. (Until then, where Caddy routes
    // by address, development only, a freed address could already belong to another container.)
    execFileSync('docker', ['kill', bobSession.container]);
    await until('the route to close', 15_000, async () => {
      const row = await stack.sessionRuntime.knex('sessions').where({ id: bobSession.id }).first();
      return row.status === 'error' ? true : undefined;
    });
    await until('a 404 for the ended session', 5_000, async () =>
      (await via(bobSession, '/healthz', cookieOf(bob))).status === 404 ? true : undefined,
    );
  }, 30_000);
});
