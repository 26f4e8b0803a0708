import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CADDY_DIR = path.resolve(__dirname, '..', '..', '..', 'deploy', 'caddy');

/** `caddy adapt` of a Caddyfile from deploy/caddy (with its snippet beside it) into Caddy's JSON. */
function adapt(file: string, env: Record<string, string>, edit: (text: string) => string = (t) => t): any {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-caddyfile-'));
  copyFileSync(path.join(CADDY_DIR, 'session-routing.caddy'), path.join(dir, 'session-routing.caddy'));
  writeFileSync(path.join(dir, 'Caddyfile'), edit(readFileSync(path.join(CADDY_DIR, file), 'utf8')));
  const json = execFileSync('caddy', ['adapt', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    cwd: dir,
    env: { PATH: process.env['PATH'], HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(json.toString());
}

function sessionRoute(config: any, host: string): string {
  const routes = Object.values(config.apps.http.servers as Record<string, { routes: any[] }>).flatMap((s) => s.routes);
  const route = routes.find((r) => r.match?.some((m: { host?: string[] }) => m.host?.includes(host)));
  if (!route) throw new Error(`no site for ${host}`);
  return JSON.stringify(route);
}

describe('Caddyfiles', () => {
  it('production: wildcard session sites gated by forward auth, platform hosts to gateway and UI', () => {
    // Debian's Caddy has no DNS modules; everything but the DNS challenge line is checked as written.
    const config = adapt(
      'Caddyfile',
      { MEDFORGE_DOMAIN: 'medforge.example.org', ACME_EMAIL: 'ops@example.org' },
      (text) => text.replace(/^\s*acme_dns .*$/m, ''),
    );
    for (const host of ['*.external.medforge.example.org', '*.internal.medforge.example.org']) {
      const route = sessionRoute(config, host);
      expect(route).toContain('"uri":"/api/v2/auth/session-proxy"');
      expect(route).toContain('"dial":"medforge-gateway:4000"');
      expect(route).toContain('"delete":["Connection","Upgrade"]');
      expect(route).toContain('"dial":"{http.request.header.X-Upstream}"');
      // The client's X-Upstream goes before forward auth runs, and the cookie is blanked after it.
      expect(route.indexOf('"delete":["X-Upstream"]')).toBeLessThan(route.indexOf('"rewrite"'));
      expect(route.indexOf('"rewrite"')).toBeLessThan(route.indexOf('"search_regexp":"(^|;\\\\s*)mf_session=[^;]*"'));
    }
    expect(sessionRoute(config, 'medforge.example.org')).toContain('"dial":"medforge-ui:8080"');
    // Every gateway replica the service name resolves to, balanced by open connections.
    for (const host of ['medforge.example.org', 'api.medforge.example.org']) {
      const route = sessionRoute(config, host);
      expect(route).toContain('"dynamic_upstreams":{"name":"medforge-gateway","port":"4000"');
      expect(route).toContain('"policy":"least_conn"');
    }
  });

  it('the production file asks for the DNS challenge (wildcard certificates need it)', () => {
    expect(readFileSync(path.join(CADDY_DIR, 'Caddyfile'), 'utf8')).toMatch(
      /^\s*acme_dns \{\$ACME_DNS_PROVIDER\} \{\$ACME_DNS_API_TOKEN\}$/m,
    );
  });

  it('development: loopback only, the same session route', () => {
    const config = adapt('Caddyfile.dev', { MEDFORGE_UI_DIST: '/nonexistent', GATEWAY_PORT: '4999' });
    expect(config.apps.http.servers.srv0.listen).toEqual(['127.0.0.1:8080']);
    const route = sessionRoute(config, '*.external.medforge.localhost');
    expect(route).toContain('"dial":"127.0.0.1:4999"');
    expect(route).toContain('"status_code":403');
  });

  it('development: several gateways (GATEWAY_REPLICAS) share the console and API hosts', () => {
    const config = adapt('Caddyfile.dev', {
      MEDFORGE_UI_DIST: '/nonexistent',
      GATEWAY_UPSTREAMS: '127.0.0.1:4000 127.0.0.1:4010',
    });
    for (const host of ['medforge.localhost', 'api.medforge.localhost']) {
      const route = sessionRoute(config, host);
      expect(route).toContain('"upstreams":[{"dial":"127.0.0.1:4000"},{"dial":"127.0.0.1:4010"}]');
      expect(route).toContain('"policy":"least_conn"');
    }
  });
});
