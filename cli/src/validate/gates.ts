import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

import type { EdgeClient, EdgeUser } from '../edge-client';
import type { Evidence } from './evidence';

export interface RunningSession {
  id: string;
  slug: string;
  host: string;
  container: string;
  ip: string;
}

export interface GateContext {
  edge: EdgeClient;
  /** The console's Host header (API calls go there). */
  consoleHost: string;
  evidence: Evidence;
  admin: EdgeUser;
  alice: EdgeUser;
  bob: EdgeUser;
  aliceSession: RunningSession;
  bobSession: RunningSession;
  /** Stops a session through the API and resolves with its final row once it has ended. */
  stopSession(user: EdgeUser, session: RunningSession): Promise<{ status: string; snapshotName: string | null }>;
}

export type Outcome = { result: 'PASS' | 'FAIL' | 'SKIP'; summary: string };
export type Gate = { name: string; run(ctx: GateContext): Promise<Outcome> };

/** Compares what happened with what must, recording both; the gate fails on the first difference. */
class Expectations {
  readonly problems: string[] = [];
  constructor(
    private readonly ctx: GateContext,
    private readonly gate: string,
  ) {}

  check(what: string, actual: unknown, expected: unknown): void {
    const ok = JSON.stringify(actual) === JSON.stringify(expected);
    this.ctx.evidence.record(this.gate, `${ok ? 'ok' : 'WRONG'}: ${what}`, { expected, actual });
    if (!ok) this.problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }

  outcome(summary: string): Outcome {
    return this.problems.length === 0
      ? { result: 'PASS', summary }
      : { result: 'FAIL', summary: this.problems.join('; ') };
  }
}

/** A docker command on this host, its output trimmed. */
export const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', timeout: 30_000 }).trim();

/** Can `host:port` be reached from inside a session container within 3 s? */
function connectsFromSession(session: RunningSession, host: string, port: number): string {
  const script = `const s = require('net').connect(${port}, ${JSON.stringify(host)});
    s.setTimeout(3000, () => { console.log('timeout'); process.exit(0); });
    s.on('connect', () => { console.log('connected'); process.exit(0); });
    s.on('error', (e) => { console.log(e.code); process.exit(0); });`;
  return docker('exec', session.container, 'node', '-e', script);
}

function connectsFromHost(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

export const GATES: Gate[] = [
  {
    name: 'auth-matrix',
    async run(ctx) {
      const x = new Expectations(ctx, 'auth-matrix');
      const anonymous = await ctx.edge.request(ctx.consoleHost, '/api/v2/me', {
        headers: { accept: 'application/json' },
      });
      x.check('anonymous GET /api/v2/me', anonymous.status, 401);
      x.check('user GET /api/v2/me', (await ctx.alice.call('GET', '/api/v2/me')).status, 200);
      x.check('user GET /api/v2/admin/gpus', (await ctx.alice.call('GET', '/api/v2/admin/gpus')).status, 403);
      x.check('admin GET /api/v2/admin/gpus', (await ctx.admin.call('GET', '/api/v2/admin/gpus')).status, 200);
      const session = (user: EdgeUser | null) =>
        ctx.edge.request(ctx.aliceSession.host, '/healthz', { headers: user ? user.cookieHeader() : {} });
      x.check("anonymous on alice's session host", (await session(null)).status, 401);
      x.check('alice on her session host', (await session(ctx.alice)).status, 200);
      x.check("bob on alice's session host", (await session(ctx.bob)).status, 403);
      x.check("admin on alice's session host", (await session(ctx.admin)).status, 200);
      return x.outcome('401 anonymous, 403 other users and non-admins, 200 owner and admin (API and session host)');
    },
  },
  {
    name: 'spoof-resistance',
    async run(ctx) {
      const x = new Expectations(ctx, 'spoof-resistance');
      const asBob = (headers: Record<string, string>) =>
        ctx.edge.request(ctx.aliceSession.host, '/healthz', { headers: { ...ctx.bob.cookieHeader(), ...headers } });
      x.check(
        "bob with X-Upstream naming alice's container",
        (await asBob({ 'x-upstream': `${ctx.aliceSession.ip}:8080` })).status,
        403,
      );
      x.check(
        'bob with X-Forwarded-Host of his own session',
        (await asBob({ 'x-forwarded-host': ctx.bobSession.host })).status,
        403,
      );
      x.check('bob with X-Forwarded-For 127.0.0.1', (await asBob({ 'x-forwarded-for': '127.0.0.1' })).status, 403);
      const forged = await ctx.edge.request(ctx.aliceSession.host, '/healthz', {
        headers: { cookie: `mf_session=${'f'.repeat(64)}` },
      });
      x.check('a forged login cookie', forged.status, 401);
      const query = await ctx.edge.request(ctx.aliceSession.host, `/healthz?upstream=${ctx.bobSession.ip}:8080`, {
        headers: ctx.bob.cookieHeader(),
      });
      x.check('bob with an upstream in the query string', query.status, 403);
      return x.outcome("forged forwarding headers, query parameters and cookies do not open another user's session");
    },
  },
  {
    name: 'wildcard-routing',
    async run(ctx) {
      const x = new Expectations(ctx, 'wildcard-routing');
      // code-server's own health document ({"status": "alive" | "expired", ...}) proves the answer came
      // from the session, not from the edge or the gateway.
      const health = await ctx.edge.request(ctx.aliceSession.host, '/healthz', { headers: ctx.alice.cookieHeader() });
      let fromCodeServer = false;
      try {
        fromCodeServer = typeof (JSON.parse(health.body) as { status?: unknown }).status === 'string';
      } catch {
        fromCodeServer = false;
      }
      x.check(
        `GET ${ctx.aliceSession.host}/healthz answered by code-server`,
        [health.status, fromCodeServer],
        [200, true],
      );
      const page = await ctx.edge.request(ctx.aliceSession.host, '/', { headers: ctx.alice.cookieHeader() });
      x.check(
        `GET ${ctx.aliceSession.host}/ opens the workbench (200 or its redirect)`,
        [200, 302].includes(page.status),
        true,
      );
      x.check(
        "bob's own host reaches his session",
        (await ctx.edge.request(ctx.bobSession.host, '/healthz', { headers: ctx.bob.cookieHeader() })).status,
        200,
      );
      const unknownHost = ctx.aliceSession.host.replace(/^s-[a-z2-7]{8}/, 's-aaaaaaaa');
      x.check(
        'an unknown session host',
        (await ctx.edge.request(unknownHost, '/healthz', { headers: ctx.alice.cookieHeader() })).status,
        404,
      );
      return x.outcome('s-<slug>.<exposure>.<domain> routes to that session only; unknown names are 404');
    },
  },
  {
    name: 'websockets',
    async run(ctx) {
      const x = new Expectations(ctx, 'websockets');
      const path = `/?reconnectionToken=${crypto.randomUUID()}&reconnection=false&skipWebSocketFrames=false`;
      x.check(
        "alice opens code-server's websocket",
        await ctx.edge.upgrade(ctx.aliceSession.host, path, ctx.alice.cookieHeader()),
        101,
      );
      x.check('bob cannot', await ctx.edge.upgrade(ctx.aliceSession.host, path, ctx.bob.cookieHeader()), 403);
      x.check('anonymous cannot', await ctx.edge.upgrade(ctx.aliceSession.host, path, {}), 401);
      return x.outcome('websocket upgrades pass forward auth: owner 101, others refused');
    },
  },
  {
    name: 'east-west',
    async run(ctx) {
      const x = new Expectations(ctx, 'east-west');
      x.check(
        "the host reaches bob's code-server (the target is up)",
        await connectsFromHost(ctx.bobSession.ip, 8080),
        'connected',
      );
      const web = connectsFromSession(ctx.aliceSession, ctx.bobSession.ip, 8080);
      const ssh = connectsFromSession(ctx.aliceSession, ctx.bobSession.ip, 2222);
      x.check("alice's container to bob's :8080", web === 'connected' ? 'connected' : 'blocked', 'blocked');
      x.check("alice's container to bob's :2222", ssh === 'connected' ? 'connected' : 'blocked', 'blocked');
      ctx.evidence.record('east-west', "raw outcomes from inside alice's container", { web, ssh });
      return x.outcome('sessions cannot reach each other; the host can');
    },
  },
  {
    name: 'gpu-visibility',
    async run(ctx) {
      const gpus = (
        await ctx.admin.call<{
          data: Array<{ index: number; uuid: string; is_virtual: boolean; held_by: { id: string } | null }>;
        }>('GET', '/api/v2/admin/gpus')
      ).body.data;
      const held = gpus.find((gpu) => gpu.held_by?.id === ctx.aliceSession.id);
      ctx.evidence.record('gpu-visibility', "GPU holding alice's session", held ?? 'none');
      if (!held) return { result: 'FAIL', summary: "no GPU is recorded as held by alice's session" };
      if (held.is_virtual)
        return { result: 'SKIP', summary: `GPU ${held.index} is virtual (MEDFORGE_GPUS=virtual:N): no device to see` };
      let listed: string;
      try {
        listed = docker('exec', ctx.aliceSession.container, 'nvidia-smi', '-L');
      } catch (error) {
        ctx.evidence.record('gpu-visibility', 'nvidia-smi -L in the session', (error as Error).message);
        return { result: 'FAIL', summary: 'nvidia-smi failed inside the session' };
      }
      ctx.evidence.record('gpu-visibility', 'nvidia-smi -L in the session', listed);
      const lines = listed.split('\n').filter((line) => line.startsWith('GPU '));
      return lines.length === 1 && lines[0]!.includes(held.uuid)
        ? { result: 'PASS', summary: `the session sees exactly its GPU ${held.index} (${held.uuid})` }
        : { result: 'FAIL', summary: `the session sees ${lines.length} GPU(s); expected only ${held.uuid}` };
    },
  },
  {
    name: 'workspace-write',
    async run(ctx) {
      const x = new Expectations(ctx, 'workspace-write');
      const token = `medforge-validate-${Date.now()}`;
      const readBack = docker(
        'exec',
        ctx.aliceSession.container,
        'sh',
        '-c',
        `echo ${token} > /workspace/.medforge-validate && cat /workspace/.medforge-validate`,
      );
      x.check('written and read back inside the session (uid 1000)', readBack, token);
      const source = docker(
        'inspect',
        '--format',
        '{{range .Mounts}}{{if eq .Destination "/workspace"}}{{.Source}}{{end}}{{end}}',
        ctx.aliceSession.container,
      );
      ctx.evidence.record('workspace-write', 'workspace on the host', source);
      const onHost = path.join(source, '.medforge-validate');
      x.check(
        'the same file in the workspace on the host',
        existsSync(onHost) ? readFileSync(onHost, 'utf8').trim() : '(not visible here)',
        token,
      );
      return x.outcome(`the workspace is writable and lives at ${source} on the host`);
    },
  },
  {
    name: 'snapshot-on-stop',
    async run(ctx) {
      const x = new Expectations(ctx, 'snapshot-on-stop');
      const ended = await ctx.stopSession(ctx.alice, ctx.aliceSession);
      x.check("alice's session after stop", ended.status, 'STOPPED');
      x.check('a snapshot was recorded', ended.snapshotName !== null, true);
      if (ended.snapshotName?.includes('@')) {
        let listed = '';
        try {
          listed = execFileSync('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', ended.snapshotName], {
            encoding: 'utf8',
          }).trim();
        } catch (error) {
          listed = (error as Error).message;
        }
        x.check('zfs lists the snapshot', listed, ended.snapshotName);
      }
      x.check(
        'the container is gone',
        docker('ps', '-a', '-q', '--filter', `name=^${ctx.aliceSession.container}$`),
        '',
      );
      return x.outcome(`stopped with snapshot ${ended.snapshotName}`);
    },
  },
];
