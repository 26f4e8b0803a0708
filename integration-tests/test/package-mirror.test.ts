import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';

import { ApiClient, DEFAULT_PASSWORD, uniqueEmail } from '../testkit/client';
import { devPackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';
import { runInSession } from '../testkit/workbench';

const INTERNAL_NETWORK = 'medforge-internal-sessions';
const MIRROR_PORT = 8000;
/** The east-west chain of ops/host/firewall-setup.sh, where the runbook opens the mirror's address. */
const FIREWALL_CHAIN = 'MEDFORGE-EAST-WEST';

/**
 * What a mirror serves, built in its own container: one package, `medforge-mirror-probe`, as a wheel under
 * a PEP 503 simple index, then served by Python's HTTP server (the runbook's devpi or pypiserver stand
 * where this stands: on the INTERNAL sessions network at an address of its own).
 */
const MIRROR_SCRIPT = [
  'set -e',
  'mkdir -p /tmp/src/medforge_mirror_probe /tmp/index/packages /tmp/index/simple/medforge-mirror-probe',
  "echo 'ANSWER = 42' > /tmp/src/medforge_mirror_probe/__init__.py",
  `printf 'from setuptools import setup\\nsetup(name="medforge-mirror-probe", version="1.0", packages=["medforge_mirror_probe"])\\n' > /tmp/src/setup.py`,
  'HOME=/tmp pip wheel --quiet --no-build-isolation --no-index --no-deps -w /tmp/index/packages /tmp/src',
  'cd /tmp/index/packages',
  'for f in *.whl; do echo "<a href=\\"/packages/$f\\">$f</a>"; done > /tmp/index/simple/medforge-mirror-probe/index.html',
  `exec python3 -u -m http.server ${MIRROR_PORT} --directory /tmp/index`,
].join('\n');

/**
 * INTERNAL sessions have no way out but what the installation opens: with SESSION_PACKAGE_INDEX_URL set,
 * `pip install` in such a session installs from the installation's mirror (docs/runbook.md), here a real
 * one on the real INTERNAL network, reached through the east-west firewall's one opening for it.
 */
describe('an INTERNAL session installs packages from the installation’s mirror', () => {
  const mirror = `mf-test-mirror-${randomBytes(3).toString('hex')}`;
  // The lower half of the network: the upper half is where sessions get their addresses.
  const mirrorIp = `172.31.0.${randomInt(20, 110)}`;
  const indexUrl = `http://${mirrorIp}:${MIRROR_PORT}/simple/`;
  const opening = ['-s', '172.31.0.0/24', '-d', mirrorIp, '-p', 'tcp', '--dport', String(MIRROR_PORT), '-j', 'RETURN'];
  const firewalled = () => spawnSync('iptables', ['-w', '10', '-S', FIREWALL_CHAIN]).status === 0;
  let stack: TestStack;
  let ada: ApiClient;

  /** Opens the mirror in the firewall, when this machine has one; again if another test rewrote it. */
  const openMirror = () => {
    if (!firewalled()) return;
    if (spawnSync('iptables', ['-w', '10', '-C', FIREWALL_CHAIN, ...opening]).status === 0) return;
    execFileSync('iptables', ['-w', '10', '-I', FIREWALL_CHAIN, '1', ...opening]);
  };

  beforeAll(async () => {
    stack = await startTestStack({
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      SESSION_UPSTREAM_ADDRESSING: 'container-ip',
      SESSION_STOP_GRACE_SECONDS: '1',
      SESSION_PACKAGE_INDEX_URL: indexUrl,
    });
    execFileSync('docker', [
      'run',
      '-d',
      '--name',
      mirror,
      '--network',
      INTERNAL_NETWORK,
      '--ip',
      mirrorIp,
      '--entrypoint',
      'sh',
      devPackImageId(),
      '-c',
      MIRROR_SCRIPT,
    ]);
    await until('the mirror serving', 60_000, async () =>
      execFileSync('docker', ['logs', mirror], { encoding: 'utf8', stdio: 'pipe' }).includes('Serving HTTP')
        ? true
        : undefined,
    );
    ada = new ApiClient(stack.gateway.url);
    const email = uniqueEmail('mirror');
    const userId = await ada.signUp(email);
    await stack.identity.knex('users').where({ id: userId }).update({ can_use_internal: true });
    // A fresh login: the gateway caches what a cookie stands for, the INTERNAL entitlement included.
    const login = await ada.post('/api/v2/auth/login', { email, password: DEFAULT_PASSWORD });
    expect(login.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    spawnSync('docker', ['rm', '-f', mirror]);
    while (spawnSync('iptables', ['-w', '10', '-D', FIREWALL_CHAIN, ...opening]).status === 0);
    await stack?.stop();
  }, 90_000);

  it('points pip at the mirror and installs from it with --user', async () => {
    const created = await ada.post('/api/v2/internal/sessions', { name: 'restricted' });
    expect(created.status).toBe(201);
    const id = (created.body.data as { id: string }).id;
    const session = await until('the INTERNAL session running', 120_000, async () => {
      const { body } = await ada.graphql('query($id: ID!) { session(id: $id) { slug status errorMessage } }', { id });
      const s = body.data.session as { slug: string; status: string; errorMessage: string | null };
      if (s.status === 'ERROR') throw new Error(`session failed: ${s.errorMessage}`);
      return s.status === 'RUNNING' ? s : undefined;
    });
    const container = `mf-session-${session.slug}`;
    expect((await runInSession(container, ['sh', '-c', 'echo "$PIP_INDEX_URL $PIP_TRUSTED_HOST"'])).stdout.trim()).toBe(
      `${indexUrl} ${mirrorIp}:${MIRROR_PORT}`,
    );

    // Bounded: another test file may rewrite the firewall between the opening and the install.
    let installed = { code: -1, stdout: '', stderr: '' };
    for (let attempt = 0; attempt < 3 && installed.code !== 0; attempt++) {
      openMirror();
      installed = await runInSession(container, [
        'sh',
        '-c',
        'pip install --user --quiet --retries 0 --timeout 10 medforge-mirror-probe && ' +
          'python3 -c "import medforge_mirror_probe as p; print(p.ANSWER)"',
      ]);
    }
    expect(installed.stderr).toBe('');
    expect(installed.stdout.trim()).toBe('42');
  }, 240_000);
});
