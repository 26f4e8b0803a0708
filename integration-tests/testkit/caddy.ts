import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { until } from './wait';

export interface DevCaddy {
  port: number;
  stop(): Promise<void>;
}

const REPO = path.resolve(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real Caddy with deploy/caddy/Caddyfile.dev on loopback ports of its own, in front of `gatewayPort`,
 * serving `uiDist` as the console.
 */
export async function startDevCaddy(
  gatewayPort: number,
  /** `sessionsBind`: also listen there (Docker's host-gateway address), so sessions reach the API. */
  options: { port?: number; uiDist?: string; sessionsBind?: string } = {},
): Promise<DevCaddy> {
  const [port, adminPort] = [options.port ?? (await freePort()), await freePort()];
  const home = mkdtempSync(path.join(tmpdir(), 'mf-caddy-'));
  const caddy: ChildProcess = spawn(
    'caddy',
    ['run', '--config', path.join(REPO, 'deploy/caddy/Caddyfile.dev'), '--adapter', 'caddyfile'],
    {
      env: {
        PATH: process.env['PATH'],
        HOME: home,
        XDG_DATA_HOME: home,
        XDG_CONFIG_HOME: home,
        MEDFORGE_DOMAIN: 'medforge.localhost',
        MEDFORGE_HTTP_PORT: String(port),
        CADDY_ADMIN_PORT: String(adminPort),
        GATEWAY_PORT: String(gatewayPort),
        GATEWAY_UPSTREAMS: `127.0.0.1:${gatewayPort}`,
        MEDFORGE_UI_DIST: options.uiDist ?? home,
        MEDFORGE_SESSIONS_BIND: options.sessionsBind ?? '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  caddy.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => caddy.once('exit', () => resolve()));
  try {
    await until('Caddy to listen', 15_000, async () => {
      if (caddy.exitCode !== null) throw new Error(`Caddy exited: ${log}`);
      const answer = await proxiedRequest(port, `medforge.localhost:${port}`, '/healthz').catch(() => null);
      return answer ? true : undefined;
    });
  } catch (error) {
    caddy.kill('SIGKILL');
    throw error;
  }
  return {
    port,
    async stop() {
      caddy.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ProxiedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to Caddy on loopback with the Host a browser would send (fetch cannot set Host). */
export function proxiedRequest(
  port: number,
  host: string,
  requestPath: string,
  headers: Record<string, string> = {},
): Promise<ProxiedResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: requestPath, method: 'GET', headers: { ...headers, host }, timeout: 15_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`request to ${host}${requestPath} timed out`)));
    request.on('error', reject);
    request.end();
  });
}
