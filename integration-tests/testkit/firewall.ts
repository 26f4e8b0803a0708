import { execFileSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The port on the host that sessions may connect to in tests (a Caddy on the host, like development's
 * :8080). Fixed, because the rules are the machine's and every test file that applies them must agree.
 */
export const TEST_SESSION_API_PORT = 18180;
/** The same for the documentation examples' own Caddy (docs-examples.test.ts runs beside the others). */
export const TEST_DOCS_API_PORT = 18181;
/** The same for the session activity suite's Caddy (session-activity.test.ts). */
export const TEST_ACTIVITY_API_PORT = 18182;

/**
 * ops/host/firewall-setup.sh as development applies it: Caddy on the host (no container is a proxy
 * source), sessions may reach the host only at Caddy's port (development's :8080, which a running
 * `npm run up` keeps using, and the test ports above).
 */
export function applyDevFirewall(): void {
  execFileSync('bash', [path.join(REPO, 'ops/host/firewall-setup.sh')], {
    env: {
      ...process.env,
      SESSION_PROXY_SOURCES: '',
      SESSION_API_ENDPOINTS: [
        process.env['MEDFORGE_HTTP_PORT'] ?? 8080,
        TEST_SESSION_API_PORT,
        TEST_DOCS_API_PORT,
        TEST_ACTIVITY_API_PORT,
      ]
        .map((port) => `:${port}`)
        .join(' '),
    },
    stdio: 'pipe',
  });
}

/** Docker's host-gateway address (docker0), where a Caddy on the host listens for sessions. */
export function dockerHostGateway(): string {
  const line = execFileSync('ip', ['-4', '-o', 'addr', 'show', 'docker0']).toString();
  const match = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(line);
  if (!match) throw new Error(`docker0 has no IPv4 address: ${line}`);
  return match[1]!;
}
