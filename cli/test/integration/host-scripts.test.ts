import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { sessionAddressRange } from '../../../subgraphs/session-runtime/src/adapters/session-address-range';

const REPO = path.resolve(__dirname, '..', '..', '..');
const NETWORKS = path.join(REPO, 'ops', 'host', 'create-networks.sh');

describe('ops/host/create-networks.sh', () => {
  it('reserves the same upper half for sessions as session-runtime does', () => {
    for (const subnet of ['172.30.0.0/24', '172.31.0.0/24', '10.8.0.0/16', '192.168.4.0/23', '10.0.0.0/29']) {
      const script = execFileSync('bash', [NETWORKS, '--upper-half', subnet], { encoding: 'utf8' }).trim();
      expect(script).toBe(sessionAddressRange(subnet));
    }
  });

  it('creates both networks as session-runtime would, idempotently, and refuses a conflicting one', () => {
    const suffix = `${process.pid}`;
    const env = {
      ...process.env,
      SESSION_NETWORK_EXTERNAL: `mf-t-net-ext-${suffix}`,
      SESSION_NETWORK_EXTERNAL_SUBNET: '172.28.250.0/24',
      SESSION_NETWORK_INTERNAL: `mf-t-net-int-${suffix}`,
      SESSION_NETWORK_INTERNAL_SUBNET: '172.28.251.0/24',
    };
    const inspect = (name: string) =>
      JSON.parse(execFileSync('docker', ['network', 'inspect', name], { encoding: 'utf8' }))[0] as {
        Internal: boolean;
        IPAM: { Config: Array<{ Subnet: string; IPRange: string }> };
        Labels: Record<string, string>;
      };
    // A run killed before its cleanup leaves its networks holding these subnets: they go first.
    const leftovers = execFileSync(
      'docker',
      ['network', 'ls', '--filter', 'name=^mf-t-net-', '--format', '{{.Name}}'],
      {
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter(Boolean);
    if (leftovers.length > 0) spawnSync('docker', ['network', 'rm', ...leftovers]);
    try {
      execFileSync('bash', [NETWORKS], { env, stdio: 'pipe' });
      const external = inspect(env.SESSION_NETWORK_EXTERNAL);
      expect(external.IPAM.Config[0]).toMatchObject({ Subnet: '172.28.250.0/24', IPRange: '172.28.250.128/25' });
      expect(external.Internal).toBe(false);
      expect(external.Labels['dev.medforge.managed']).toBe('true');
      expect(inspect(env.SESSION_NETWORK_INTERNAL).Internal).toBe(true);

      const again = spawnSync('bash', [NETWORKS], { env, encoding: 'utf8' });
      expect(again.status).toBe(0);
      expect(again.stderr).toContain(`${env.SESSION_NETWORK_EXTERNAL} exists (172.28.250.0/24)`);

      const conflicting = spawnSync('bash', [NETWORKS], {
        env: { ...env, SESSION_NETWORK_EXTERNAL_SUBNET: '172.28.252.0/24' },
        encoding: 'utf8',
      });
      expect(conflicting.status).not.toBe(0);
      expect(conflicting.stderr).toContain('exists with subnet 172.28.250.0/24, expected 172.28.252.0/24');
    } finally {
      spawnSync('docker', ['network', 'rm', env.SESSION_NETWORK_EXTERNAL, env.SESSION_NETWORK_INTERNAL]);
    }
  });
});

describe('ops/packs/host-apt-mirror.sh', () => {
  const MIRROR = path.join(REPO, 'ops', 'packs', 'host-apt-mirror.sh');
  let aptDir: string;
  const mirrorFor = (codename: string) => spawnSync('bash', [MIRROR, codename, aptDir], { encoding: 'utf8' });

  beforeEach(() => {
    aptDir = mkdtempSync(path.join(tmpdir(), 'mf-apt-'));
    mkdirSync(path.join(aptDir, 'sources.list.d'));
  });
  afterEach(() => rmSync(aptDir, { recursive: true, force: true }));

  it("takes the release's own suite from deb822 sources, skipping security, disabled and deb-src entries", () => {
    writeFileSync(
      path.join(aptDir, 'sources.list.d', 'debian.sources'),
      [
        '# local mirror',
        'Types: deb-src',
        'URIs: http://src.example.org/debian',
        'Suites: bookworm',
        '',
        'Types: deb',
        'URIs: http://security.example.org/debian-security',
        'Suites: bookworm-security',
        '',
        'Types: deb',
        'URIs: http://off.example.org/debian',
        'Suites: bookworm',
        'Enabled: no',
        '',
        'Types: deb deb-src',
        'URIs: http://mirror.example.org/debian http://second.example.org/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
      ].join('\n'),
    );
    expect(mirrorFor('bookworm')).toMatchObject({ status: 0, stdout: 'http://mirror.example.org/debian\n' });
  });

  it('reads one-line sources with options, and says so when the release has none', () => {
    writeFileSync(
      path.join(aptDir, 'sources.list'),
      [
        'deb http://security.ubuntu.example/ubuntu noble-security main',
        'deb [arch=amd64 signed-by=/usr/share/keyrings/ubuntu.gpg] http://proxy.lan:3142/ubuntu noble main universe',
      ].join('\n'),
    );
    expect(mirrorFor('noble')).toMatchObject({ status: 0, stdout: 'http://proxy.lan:3142/ubuntu\n' });
    const missing = mirrorFor('bookworm');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('no apt source for bookworm');
  });
});
