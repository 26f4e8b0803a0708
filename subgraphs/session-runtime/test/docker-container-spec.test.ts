import { Exposure } from '@medforge/shared-schema';

import { platformHost } from '../src/adapters/adapters-factory';
import { sessionContainerOptions } from '../src/adapters/docker-container-spec';
import { INSTANCE_LABEL, LABELS, MANAGED_LABEL, type SessionLaunch } from '../src/ports/container-runtime';

const launch: SessionLaunch = {
  name: 'mf-session-abc1234',
  session: { id: 'sess-1', userId: 'user-1', slug: 'abc1234', exposure: Exposure.EXTERNAL },
  installationId: 'inst-1',
  image: 'medforge/pack@sha256:x',
  gpu: { uuid: 'GPU-3f6c2a4e-9b1d-4c7e-8a21-0d5e6f7a8b90', virtual: false },
  homePath: '/tank/medforge/users/user-1',
  readOnlyMounts: [{ hostPath: '/srv/data/training', containerPath: '/data/training' }],
  sshPort: 22001,
  limits: { cpus: 2, memoryMib: 2048, pids: 512, shmMib: 256 },
  scratchMib: 64,
  env: { MEDFORGE_SESSION_ID: 'sess-1', HOME: '/workspace/.home' },
};
const placement = { network: 'medforge-external', extraHosts: ['medforge.example.org:172.30.0.2'], instance: 'main' };

describe('a launch as a Docker container', () => {
  it('binds the GPU by UUID for the NVIDIA runtime and shows it inside as CUDA device 0', () => {
    const options = sessionContainerOptions(launch, placement);
    expect(options.HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', DeviceIDs: [launch.gpu.uuid], Capabilities: [['gpu']] },
    ]);
    expect(options.Env).toEqual([
      'MEDFORGE_SESSION_ID=sess-1',
      'HOME=/workspace/.home',
      `NVIDIA_VISIBLE_DEVICES=${launch.gpu.uuid}`,
      'CUDA_VISIBLE_DEVICES=0',
    ]);
  });

  it('binds nothing for a virtual GPU and hides every device', () => {
    const options = sessionContainerOptions({ ...launch, gpu: { uuid: 'virtual-0', virtual: true } }, placement);
    expect(options.HostConfig?.DeviceRequests).toEqual([]);
    expect(options.Env).toContain('NVIDIA_VISIBLE_DEVICES=void');
  });

  it("labels it for recovery and routing, and places it on its network with that network's host names", () => {
    const options = sessionContainerOptions(launch, placement);
    expect(options.Labels).toEqual({
      [LABELS.installation]: 'inst-1',
      [LABELS.sessionId]: 'sess-1',
      [LABELS.userId]: 'user-1',
      [LABELS.slug]: 'abc1234',
      [LABELS.exposure]: Exposure.EXTERNAL,
      [MANAGED_LABEL]: 'true',
      [INSTANCE_LABEL]: 'main',
    });
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'medforge-external',
      ExtraHosts: ['medforge.example.org:172.30.0.2'],
      Binds: ['/tank/medforge/users/user-1:/workspace', '/srv/data/training:/data/training:ro'],
      PortBindings: { '2222/tcp': [{ HostIp: '0.0.0.0', HostPort: '22001' }] },
    });
  });

  it('publishes no SSH port where the launch has none, and sets no CPU or memory limit where it says none', () => {
    const options = sessionContainerOptions(
      { ...launch, sshPort: null, limits: { cpus: null, memoryMib: null, pids: 64, shmMib: 64 } },
      placement,
    );
    expect(options.HostConfig?.PortBindings).toEqual({});
    expect(options.HostConfig).not.toHaveProperty('NanoCpus');
    expect(options.HostConfig).not.toHaveProperty('Memory');
  });
});

describe('platformHost', () => {
  it("points the platform's host name at the configured address, or leaves it to DNS", () => {
    expect(platformHost('https://medforge.example.org', '172.30.0.2')).toEqual(['medforge.example.org:172.30.0.2']);
    expect(platformHost('https://medforge.example.org:8443/console', '172.31.0.2')).toEqual([
      'medforge.example.org:172.31.0.2',
    ]);
    expect(platformHost('https://medforge.example.org', undefined)).toEqual([]);
  });
});
