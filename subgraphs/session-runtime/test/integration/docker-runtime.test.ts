import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import { Exposure } from '@medforge/shared-schema';
import Docker from 'dockerode';

import {
  containerNameFor,
  HostPortTakenError,
  instanceClaimVolume,
  LABELS,
  MANAGED_LABEL,
  PACK_LAYOUT,
  type SessionLaunch,
} from '../../src/ports/container-runtime';
import { DockerRuntime, type SessionNetworks } from '../../src/adapters/docker-runtime';
import { defineContainerRuntimeContract, EXITING_PACK, type PackKind } from '../contracts/container-runtime.contract';

// A real image from the offline base (ops/packs/dev/build.sh: medforge/base:<distro>-<release> of this
// host) whose default command just waits.
const osRelease = Object.fromEntries(
  readFileSync('/etc/os-release', 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).replace(/^"|"$/g, '')]),
);
const BASE = `medforge/base:${osRelease['ID']}-${osRelease['VERSION_CODENAME']}`;
/** Test packs on the base image: each does one thing a real pack may do once placed. */
const TEST_PACKS: Record<PackKind, string> = {
  serves: 'medforge/test-responder:base',
  exits: 'medforge/test-exiter:base',
  'never-answers': 'medforge/test-sleeper:base',
};
const SLEEPER = TEST_PACKS['never-answers'];

let testPacksBuilt = false;

/**
 * Builds the test packs once per run (both suites here use them): one answering HTTP 200 on code-server's
 * port (perl), one failing, one waiting.
 */
function buildTestPacks(): void {
  if (testPacksBuilt) return;
  const context = mkdtempSync(join(tmpdir(), 'mf-test-packs-'));
  writeFileSync(
    join(context, 'serve.pl'),
    `use IO::Socket::INET;
my $server = IO::Socket::INET->new(LocalPort => ${PACK_LAYOUT.codeServerPort}, Listen => 16, ReuseAddr => 1) or die "listen: $!";
while (my $client = $server->accept) {
  while (my $line = <$client>) { last if $line =~ /^\\r?$/ }
  print $client "HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok";
  close $client;
}
`,
  );
  writeFileSync(join(context, 'exit.sh'), `echo '${EXITING_PACK.log}'\nexit ${EXITING_PACK.exitCode}\n`);
  const dockerfiles: Record<PackKind, string> = {
    serves: `FROM ${BASE}\nCOPY serve.pl /opt/serve.pl\nCMD ["perl", "/opt/serve.pl"]\n`,
    exits: `FROM ${BASE}\nCOPY exit.sh /opt/exit.sh\nCMD ["sh", "/opt/exit.sh"]\n`,
    'never-answers': `FROM ${BASE}\nCMD ["sleep", "infinity"]\n`,
  };
  for (const kind of Object.keys(dockerfiles) as PackKind[]) {
    writeFileSync(join(context, 'Dockerfile'), dockerfiles[kind]);
    execFileSync('docker', ['build', '-q', '-t', TEST_PACKS[kind], context]);
  }
  testPacksBuilt = true;
}

defineContainerRuntimeContract('DockerRuntime on the real Docker Engine', async () => {
  const docker = new Docker();
  const tag = randomBytes(3).toString('hex');
  const octet = randomInt(0, 200);
  const instance = `test-contract-${tag}`;
  const networks: SessionNetworks = {
    external: { name: `mf-test-cext-${tag}`, subnet: `172.25.${octet}.0/24` },
    internal: { name: `mf-test-cint-${tag}`, subnet: `172.24.${octet}.0/24` },
  };
  buildTestPacks();
  const runtime = new DockerRuntime(docker, networks, instance);
  await runtime.ensureNetworks();
  return {
    runtime,
    images: TEST_PACKS,
    homePath: () => mkdtempSync(join(tmpdir(), 'mf-contract-home-')),
    crash: async (name) => {
      await docker.getContainer(name).kill({ signal: 'KILL' });
    },
    readinessTimeoutMs: 4_000,
    close: async () => {
      await docker
        .getVolume(instanceClaimVolume(instance))
        .remove()
        .catch(() => undefined);
      for (const network of Object.values(networks))
        await docker
          .getNetwork(network.name)
          .remove()
          .catch(() => undefined);
    },
  };
});

describe('Docker runtime on the real Docker Engine', () => {
  const docker = new Docker();
  const tag = randomBytes(3).toString('hex');
  const octet = randomInt(0, 200);
  const networks: SessionNetworks = {
    external: {
      name: `mf-test-ext-${tag}`,
      subnet: `172.29.${octet}.0/24`,
      extraHosts: ['medforge.example.org:172.30.0.2'],
    },
    internal: { name: `mf-test-int-${tag}`, subnet: `172.28.${octet}.0/24` },
  };
  const runtime = new DockerRuntime(docker, networks, `test-${tag}`);
  const started: string[] = [];
  // Competition data as the session-runtime mounts it: world-readable files, bound read-only.
  const dataDir = mkdtempSync(join(tmpdir(), 'mf-docker-data-'));
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'train.csv'), 'PassengerId,Survived\n1,0\n', { mode: 0o644 });

  const spec = (exposure: Exposure, sshPort: number | null): SessionLaunch => {
    const slug = `t${randomBytes(4).toString('hex').slice(0, 7)}`;
    started.push(containerNameFor(slug));
    return {
      name: containerNameFor(slug),
      session: { id: 'sess-1', userId: 'user-1', slug, exposure },
      installationId: 'installation-a',
      image: SLEEPER,
      env: { MEDFORGE_SESSION_ID: 'sess-1' },
      gpu: { uuid: 'GPU-virtual-0', virtual: true },
      homePath: mkdtempSync(join(tmpdir(), 'mf-docker-ws-')),
      readOnlyMounts: [{ hostPath: dataDir, containerPath: '/data/training' }],
      sshPort,
      limits: { cpus: 1.5, memoryMib: 1024, pids: 512, shmMib: 256 },
      scratchMib: 128,
    };
  };

  beforeAll(async () => {
    buildTestPacks();
    await runtime.ensureNetworks();
    await runtime.ensureNetworks(); // idempotent
  });

  afterAll(async () => {
    for (const name of started) await runtime.remove(name);
    for (const network of Object.values(networks))
      await docker
        .getNetwork(network.name)
        .remove()
        .catch(() => undefined);
  });

  it('session-runtimes starting together all get the networks (a lost creation race is not an error)', async () => {
    const raceTag = randomBytes(3).toString('hex');
    const raced: SessionNetworks = {
      external: { name: `mf-test-race-ext-${raceTag}`, subnet: `172.27.${octet}.0/24` },
      internal: { name: `mf-test-race-int-${raceTag}`, subnet: `172.26.${octet}.0/24` },
    };
    try {
      await Promise.all(
        Array.from({ length: 4 }, () => new DockerRuntime(docker, raced, `test-${raceTag}`).ensureNetworks()),
      );
      const listed = await docker.listNetworks({ filters: { name: [raced.external.name, raced.internal.name] } });
      expect(listed.map((n) => n.Name).sort()).toEqual([raced.external.name, raced.internal.name].sort());
    } finally {
      for (const network of Object.values(raced))
        await docker
          .getNetwork(network.name)
          .remove()
          .catch(() => undefined);
    }
  });

  it('claims the instance name for one installation: of several racing, exactly one holds it', async () => {
    const instance = `test-claim-${randomBytes(3).toString('hex')}`;
    const ids = ['a', 'b', 'c', 'd'].map((x) => `${x}0000000-0000-4000-8000-000000000000`);
    try {
      const claims = await Promise.all(
        ids.map((id) => new DockerRuntime(docker, networks, instance).claimInstance(id)),
      );
      const holder = claims[0]!.installationId;
      expect(ids).toContain(holder);
      expect(claims.every((c) => c.installationId === holder)).toBe(true);
      expect(Date.parse(claims[0]!.claimedAt)).toBeGreaterThan(Date.now() - 60_000);
      // Claiming again (a restart) answers the same holder; the claim is a labelled volume on the engine.
      expect((await new DockerRuntime(docker, networks, instance).claimInstance(ids[3]!)).installationId).toBe(holder);
      const volume = await docker.getVolume(`medforge-instance-${instance}`).inspect();
      expect(volume.Labels).toMatchObject({ [LABELS.installation]: holder, [MANAGED_LABEL]: 'true' });
    } finally {
      await docker
        .getVolume(`medforge-instance-${instance}`)
        .remove()
        .catch(() => undefined);
    }
  });

  it('creates the EXTERNAL network with egress and the INTERNAL one without', async () => {
    const external = await docker.getNetwork(networks.external.name).inspect();
    const internal = await docker.getNetwork(networks.internal.name).inspect();
    expect(external.Internal).toBe(false);
    expect(internal.Internal).toBe(true);
    expect(internal.IPAM!.Config![0]!.Subnet).toBe(networks.internal.subnet);
  });

  it('starts an unprivileged uid-1000 container with labels, env, workspace and SSH port', async () => {
    const s = spec(Exposure.EXTERNAL, 20000 + randomInt(0, 5000));
    const state = await runtime.start(s);
    expect(state.running).toBe(true);
    expect(state.ipAddress).toMatch(new RegExp(`^172\\.29\\.${octet}\\.`));
    const info = await docker.getContainer(s.name).inspect();
    expect(info.Config.User).toBe('1000:1000');
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.Binds).toEqual([`${s.homePath}:/workspace`, `${dataDir}:/data/training:ro`]);
    expect(info.HostConfig.PortBindings['2222/tcp']).toEqual([{ HostIp: '0.0.0.0', HostPort: String(s.sshPort) }]);
    expect(info.Config.Labels).toMatchObject({
      [MANAGED_LABEL]: 'true',
      [LABELS.sessionId]: 'sess-1',
      [LABELS.installation]: 'installation-a',
    });
    // A virtual GPU binds no device and hides every one.
    expect(info.Config.Env).toEqual(
      expect.arrayContaining(['MEDFORGE_SESSION_ID=sess-1', 'NVIDIA_VISIBLE_DEVICES=void', 'CUDA_VISIBLE_DEVICES=0']),
    );
    expect(info.HostConfig.DeviceRequests ?? []).toEqual([]);
    expect(execFileSync('docker', ['exec', s.name, 'id', '-u']).toString().trim()).toBe('1000');
    // The platform's host name points where sessions reach it (medforge submit).
    expect(execFileSync('docker', ['exec', s.name, 'getent', 'hosts', 'medforge.example.org']).toString()).toMatch(
      /^172\.30\.0\.2\s+medforge\.example\.org/,
    );
    // Its limits: CPU, memory (no swap beyond it), processes, and a /dev/shm big enough for DataLoader workers.
    expect(info.HostConfig).toMatchObject({
      NanoCpus: 1.5e9,
      Memory: 1024 * 1024 * 1024,
      MemorySwap: 1024 * 1024 * 1024,
      PidsLimit: 512,
      ShmSize: 256 * 1024 * 1024,
    });
    expect(execFileSync('docker', ['exec', s.name, 'df', '-k', '--output=size', '/dev/shm']).toString()).toContain(
      String(256 * 1024),
    );
    // The data is readable by the session user and cannot be changed from inside.
    expect(execFileSync('docker', ['exec', s.name, 'cat', '/data/training/train.csv']).toString()).toBe(
      'PassengerId,Survived\n1,0\n',
    );
    expect(() =>
      execFileSync('docker', ['exec', s.name, 'sh', '-c', 'echo x > /data/training/train.csv'], { stdio: 'pipe' }),
    ).toThrow(/Read-only file system/);
    // Nothing grows the container's writable layer: the root is read-only, /tmp and /var/tmp are bounded
    // scratch (what the user keeps goes to the workspace).
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(() => execFileSync('docker', ['exec', s.name, 'sh', '-c', 'echo x > /etc/motd'], { stdio: 'pipe' })).toThrow(
      /Read-only file system/,
    );
    for (const scratch of ['/tmp', '/var/tmp']) {
      expect(execFileSync('docker', ['exec', s.name, 'df', '-k', '--output=size', scratch]).toString()).toContain(
        String(128 * 1024),
      );
    }
    const overfill = execFileSync(
      'docker',
      ['exec', s.name, 'sh', '-c', 'dd if=/dev/zero of=/tmp/big bs=1M count=200 2>&1; rm -f /tmp/big; true'],
      { encoding: 'utf8' },
    );
    expect(overfill).toMatch(/No space left on device/);
  });

  it('reports a process killed at the memory limit while its container goes on, and shows notices inside', async () => {
    const s = { ...spec(Exposure.EXTERNAL, null), limits: { cpus: null, memoryMib: 64, pids: 512, shmMib: 32 } };
    const killed: string[] = [];
    const watch = runtime.watchOutOfMemory((name) => killed.push(name));
    try {
      await runtime.start(s);
      await new Promise((resolve) => setTimeout(resolve, 500)); // the event stream is connected
      const hog = execFileSync(
        'docker',
        ['exec', s.name, 'sh', '-c', 'head -c 200M /dev/zero | tail > /dev/null; echo "exit $?"'],
        { encoding: 'utf8' },
      );
      expect(hog).toMatch(/exit 137/);
      await waitUntil(() => killed.includes(s.name));
      expect((await runtime.inspect(s.name))?.running).toBe(true);
      await runtime.notify(s.name, { kind: 'memory-limit', message: 'the memory limit' });
      expect(
        JSON.parse(execFileSync('docker', ['exec', s.name, 'cat', '/tmp/medforge-notice.json']).toString()),
      ).toMatchObject({ kind: 'memory-limit', message: 'the memory limit' });
      await runtime.notify(s.name, null);
      expect(() => execFileSync('docker', ['exec', s.name, 'test', '-e', '/tmp/medforge-notice.json'])).toThrow();
    } finally {
      watch.close();
    }
  });

  it('says so when the SSH host port is held by another program (and leaves no container behind)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const s = spec(Exposure.EXTERNAL, port);
      await expect(runtime.start(s)).rejects.toBeInstanceOf(HostPortTakenError);
      expect(await runtime.inspect(s.name)).toBeNull();
    } finally {
      holder.close();
    }
  });

  it('puts INTERNAL sessions on the internal network', async () => {
    const s = spec(Exposure.INTERNAL, null);
    const state = await runtime.start(s);
    expect(state.ipAddress).toMatch(new RegExp(`^172\\.28\\.${octet}\\.`));
  });

  it('binds a GPU by UUID through the nvidia device request (never Count)', async () => {
    const s = {
      ...spec(Exposure.EXTERNAL, null),
      gpu: { uuid: 'GPU-3f6c2a4e-9b1d-4c7e-8a21-0d5e6f7a8b90', virtual: false },
    };
    // This host has no NVIDIA runtime, so Docker refuses the request: proof that it was made as specified.
    await expect(runtime.start(s)).rejects.toThrow(/could not select device driver "nvidia"/);
    const info = await docker.getContainer(s.name).inspect();
    expect(info.HostConfig.DeviceRequests).toEqual([
      {
        Driver: 'nvidia',
        Count: 0,
        DeviceIDs: ['GPU-3f6c2a4e-9b1d-4c7e-8a21-0d5e6f7a8b90'],
        Capabilities: [['gpu']],
        Options: null,
      },
    ]);
    expect(info.Config.Env).toContain('NVIDIA_VISIBLE_DEVICES=GPU-3f6c2a4e-9b1d-4c7e-8a21-0d5e6f7a8b90');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
