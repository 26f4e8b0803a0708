import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

import { sessionAddressRange } from '../../subgraphs/session-runtime/src/adapters/session-address-range';

const REPO = path.resolve(__dirname, '..', '..');
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
