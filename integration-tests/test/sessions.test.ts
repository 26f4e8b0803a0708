import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';

import { destroyZfsTree, readFromSnapshot, testZfsRoot } from '@medforge/shared-schema/testing';
import { DockerRuntime, type SessionNetworks } from '@medforge/session-runtime';
import Docker from 'dockerode';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { startRunningSession, stopSessionAndWait } from '../testkit/flows';
import { devPackImageId, unreadablePackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';
import { makeAdmin } from '../testkit/seed';

describe('session lifecycle on real Docker, code-server and zfs-fuse', () => {
  const zfsRoot = testZfsRoot();
  let stack: TestStack;
  let ada: ApiClient;

  beforeAll(async () => {
    const image = devPackImageId();
    stack = await startTestStack({
      MEDFORGE_DEFAULT_PACK_IMAGE: image,
      WORKSPACE_BACKEND: 'zfs',
      ZFS_WORKSPACE_ROOT: zfsRoot,
      WORKSPACE_QUOTA_GIB: '1',
      SESSION_STOP_GRACE_SECONDS: '2',
    });
    ada = new ApiClient(stack.gateway.url);
    await ada.signUp(uniqueEmail('session'));
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    destroyZfsTree(zfsRoot);
  });

  const sessionById = async (id: string) =>
    (await ada.graphql('query($id: ID!) { session(id: $id) { id status slug snapshotName errorMessage } }', { id }))
      .body.data.session;

  it('create → running → stop → stopped, with a snapshot holding the user file', async () => {
    const created = await ada.post('/api/v2/external/sessions');
    expect(created.status).toBe(201);
    const session = created.body.data;
    expect(session).toMatchObject({ status: 'STARTING', exposure: 'EXTERNAL', pack: { name: 'default' } });
    expect(session.slug).toMatch(/^[a-z2-7]{8}$/);

    const running = await until('RUNNING', 90_000, async () => {
      const s = await sessionById(session.id);
      if (s.status === 'ERROR') throw new Error(`session failed: ${s.errorMessage}`);
      return s.status === 'RUNNING' ? s : undefined;
    });
    const container = `mf-session-${running.slug}`;
    const current = await ada.get('/api/v2/external/sessions/current');
    expect(current.body.data.map((s: { id: string }) => s.id)).toEqual([session.id]);
    execFileSync('docker', ['exec', container, 'bash', '-c', 'echo "trained weights" > /workspace/model.txt']);
    expect(
      execFileSync('docker', ['exec', container, 'stat', '-c', '%u:%g', '/workspace/model.txt']).toString().trim(),
    ).toBe('1000:1000');
    // The workbench opens without the trust prompt or walkthroughs; SSH logins get the session's environment.
    const settings = JSON.parse(
      execFileSync('docker', [
        'exec',
        container,
        'cat',
        '/workspace/.home/.local/share/code-server/User/settings.json',
      ]).toString(),
    );
    expect(settings).toMatchObject({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
    });
    const sshEnvironment = execFileSync('docker', ['exec', container, 'cat', '/tmp/medforge-sshd/sshd_config'])
      .toString()
      .split('\n')
      .find((line) => line.startsWith('SetEnv '))!;
    expect(sshEnvironment).toContain(` MEDFORGE_SESSION_ID="${session.id}" `);
    expect(sshEnvironment).toContain(' CUDA_VISIBLE_DEVICES="0" ');
    expect(sshEnvironment).toContain(' HOME="/workspace/.home" ');
    expect(sshEnvironment).not.toContain('AUTHORIZED_KEYS');
    // A value with spaces arrives whole (sshd reads a quoted value as one): the pack's module list, which
    // the ML check reads over SSH too.
    const modules = execFileSync('docker', ['exec', container, 'printenv', 'MEDFORGE_PACK_PYTHON_MODULES'])
      .toString()
      .trim();
    expect(modules).toContain(' ');
    expect(sshEnvironment).toContain(` MEDFORGE_PACK_PYTHON_MODULES="${modules}" `);

    const stop = await ada.post(`/api/v2/external/sessions/${session.id}/stop`);
    expect(stop.status).toBe(202);
    expect(stop.body.data.status).toBe('STOPPING');
    const again = await ada.post(`/api/v2/external/sessions/${session.id}/stop`);
    expect(again.status).toBe(202); // idempotent

    const stopped = await until('STOPPED', 60_000, async () => {
      const s = await sessionById(session.id);
      return s.status === 'STOPPED' || s.status === 'ERROR' ? s : undefined;
    });
    expect(stopped.status).toBe('STOPPED');
    expect(stopped.snapshotName).toMatch(new RegExp(`^${zfsRoot}/[0-9a-f-]{36}/home@stop-\\d{13}-${running.slug}$`));
    expect(readFromSnapshot(stopped.snapshotName, 'model.txt')).toBe('trained weights\n');
    expect(() => execFileSync('docker', ['inspect', container], { stdio: 'pipe' })).toThrow();
    expect((await ada.get('/api/v2/external/sessions/current')).body.data).toEqual([]);
  }, 180_000);

  it("keeps the user's files in their home for the next session; snapshots list, size and delete (owner only)", async () => {
    const before = (await ada.get('/api/v2/me/snapshots')).body.data as Array<{ id: string }>;
    const next = await startRunningSession(ada);
    const container = `mf-session-${next.slug}`;
    // Written by the session of the test before: the home is the same dataset.
    expect(execFileSync('docker', ['exec', container, 'cat', '/workspace/model.txt']).toString()).toBe(
      'trained weights\n',
    );
    execFileSync('docker', ['exec', container, 'bash', '-c', 'head -c 1048576 /dev/urandom > /workspace/epoch2.bin']);
    await stopSessionAndWait(ada, next.id);

    const listed = await ada.get('/api/v2/me/snapshots');
    expect(listed.status).toBe(200);
    const snapshots = listed.body.data as Array<{
      id: string;
      name: string;
      reason: string;
      size_bytes: number;
      unique_bytes: number;
      session: { id: string; slug: string };
    }>;
    expect(snapshots).toHaveLength(before.length + 1);
    const newest = snapshots[0]!;
    expect(newest).toMatchObject({ reason: 'STOP', session: { id: next.id, slug: next.slug } });
    expect(newest.name).toMatch(new RegExp(`^stop-\\d{13}-${next.slug}$`));
    expect(newest.size_bytes).toBeGreaterThanOrEqual(1024 * 1024);
    expect(newest.unique_bytes).toBeGreaterThanOrEqual(0);

    const mallory = new ApiClient(stack.gateway.url);
    await mallory.signUp(uniqueEmail('snapshot-thief'));
    expect((await mallory.get('/api/v2/me/snapshots')).body.data).toEqual([]);
    const stolen = await mallory.request('DELETE', `/api/v2/me/snapshots/${newest.id}`);
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe('NOT_FOUND');
    const otherUser = await mallory.graphql('mutation($id: ID!) { deleteSnapshot(id: $id) }', { id: newest.id });
    expect(otherUser.body.errors[0].extensions.code).toBe('NOT_FOUND');

    const fullName = (await sessionById(next.id)).snapshotName as string;
    expect(
      execFileSync('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', fullName.split('@')[0]!]).toString(),
    ).toContain(fullName);
    const deleted = await ada.request('DELETE', `/api/v2/me/snapshots/${newest.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual({ deleted: true, id: newest.id });
    expect(
      execFileSync('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', fullName.split('@')[0]!]).toString(),
    ).not.toContain(fullName);
    expect((await sessionById(next.id)).snapshotName).toBeNull();
    expect(((await ada.get('/api/v2/me/snapshots')).body.data as unknown[]).length).toBe(before.length);
    expect((await ada.request('DELETE', `/api/v2/me/snapshots/${newest.id}`)).status).toBe(404);
    expect((await ada.request('DELETE', '/api/v2/me/snapshots/not-a-uuid')).status).toBe(400);
  }, 180_000);

  it('opens a snapshot read-only in a new session, and restores it into the home after a safety snapshot', async () => {
    const docker = (container: string, script: string) =>
      execFileSync('docker', ['exec', container, 'bash', '-c', script], { stdio: 'pipe' }).toString();
    for (const version of ['v1', 'v2']) {
      const session = await startRunningSession(ada);
      docker(`mf-session-${session.slug}`, `echo ${version} > /workspace/notes.txt`);
      await stopSessionAndWait(ada, session.id);
    }
    const [v2, v1] = (await ada.get('/api/v2/me/snapshots')).body.data as Array<{ id: string; name: string }>;

    const viewing = await startRunningSession(ada, 90_000, { snapshot_id: v1!.id });
    const container = `mf-session-${viewing.slug}`;
    expect(docker(container, 'cat /snapshot/notes.txt /workspace/notes.txt; echo $MEDFORGE_SNAPSHOT')).toBe(
      'v1\nv2\n/snapshot\n',
    );
    expect(docker(container, 'touch /snapshot/x 2>/dev/null || echo read-only')).toBe('read-only\n');
    const busy = await ada.post(`/api/v2/me/snapshots/${v1!.id}/restore`);
    expect([busy.status, busy.body.code]).toEqual([409, 'CONFLICT']);
    expect((await ada.request('DELETE', `/api/v2/me/snapshots/${v1!.id}`)).status).toBe(409);
    await stopSessionAndWait(ada, viewing.id);

    const mallory = new ApiClient(stack.gateway.url);
    await mallory.signUp(uniqueEmail('restore-thief'));
    expect((await mallory.post(`/api/v2/me/snapshots/${v1!.id}/restore`)).status).toBe(404);
    const foreign = await mallory.post('/api/v2/external/sessions', { snapshot_id: v1!.id });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'NOT_FOUND']);

    const started = await ada.post(`/api/v2/me/snapshots/${v1!.id}/restore`);
    expect(started.status).toBe(202);
    expect(started.body.data).toMatchObject({ status: 'RUNNING', snapshot_name: v1!.name });
    const restore = await until('the restore', 60_000, async () => {
      const { body } = await ada.get(`/api/v2/me/restores/${started.body.data.id}`);
      return body.data.status === 'RUNNING' ? undefined : body.data;
    });
    expect(restore).toMatchObject({ status: 'DONE', error_message: null });
    expect((await mallory.get(`/api/v2/me/restores/${restore.id}`)).status).toBe(404);
    const listed = (await ada.get('/api/v2/me/snapshots')).body.data as Array<{ name: string; reason: string }>;
    expect(listed[0]).toMatchObject({ name: restore.safety_snapshot_name, reason: 'SAFETY' });
    expect(listed.map((s) => s.name)).toEqual(expect.arrayContaining([v1!.name, v2!.name]));

    const after = await startRunningSession(ada);
    expect(docker(`mf-session-${after.slug}`, 'cat /workspace/notes.txt')).toBe('v1\n');
    await stopSessionAndWait(ada, after.id);
  }, 300_000);

  it("starts sessions under the pack's limits and an admin's limits for the user; only admins set them", async () => {
    const boss = new ApiClient(stack.gateway.url);
    await makeAdmin(stack, await boss.signUp(uniqueEmail('limits-admin')));
    const me = (await ada.graphql('{ me { id } }')).body.data.me.id as string;
    const packs = (await ada.graphql('{ packs { id isDefault limits { cpus shmMib } } }')).body.data.packs;
    const pack = packs.find((p: { isDefault: boolean }) => p.isDefault);
    const setPack = 'mutation($id: ID!, $l: SessionLimitsInput!) { setPackLimits(id: $id, limits: $l) { id } }';
    const setUser =
      'mutation($u: ID!, $l: SessionLimitsInput!) { setUserSessionLimits(userId: $u, limits: $l) { cpus pids } }';
    const refused = await ada.graphql(setUser, { u: me, l: { pids: 100000 } });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const bad = await boss.graphql(setPack, { id: pack.id, l: { shmMib: 1 } });
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shmMib' });
    expect(
      (await boss.graphql(setPack, { id: pack.id, l: { cpus: 2, memoryMib: 2048, shmMib: 1024 } })).body.errors,
    ).toBeUndefined();
    expect((await boss.graphql(setUser, { u: me, l: { cpus: 1.5 } })).body.data.setUserSessionLimits).toEqual({
      cpus: 1.5,
      pids: null,
    });
    expect((await ada.graphql('{ me { sessionLimits { cpus memoryMib } } }')).body.data.me.sessionLimits).toEqual({
      cpus: 1.5,
      memoryMib: null,
    });
    try {
      const session = await startRunningSession(ada);
      const { limits } = (
        await ada.graphql('query($id: ID!) { session(id: $id) { limits { cpus memoryMib pids shmMib } } }', {
          id: session.id,
        })
      ).body.data.session;
      expect(limits).toEqual({ cpus: 1.5, memoryMib: 2048, pids: 4096, shmMib: 1024 });
      const host = JSON.parse(
        execFileSync('docker', [
          'inspect',
          '--format',
          '{{json .HostConfig}}',
          `mf-session-${session.slug}`,
        ]).toString(),
      );
      expect(host).toMatchObject({ NanoCpus: 1.5e9, Memory: 2048 * 1024 * 1024, ShmSize: 1024 * 1024 * 1024 });
      await stopSessionAndWait(ada, session.id);
    } finally {
      const none = { cpus: null, memoryMib: null, pids: null, shmMib: null };
      await boss.graphql(setPack, { id: pack.id, l: none });
      await boss.graphql(setUser, { u: me, l: none });
    }
  }, 180_000);

  it("reads a session's activity: code-server's heartbeat and open SSH connections", async () => {
    const session = await startRunningSession(ada);
    const name = `mf-session-${session.slug}`;
    const runtime = new DockerRuntime(new Docker(), {} as SessionNetworks, 'unused-for-reads');
    const before = Date.now();
    execFileSync('docker', ['exec', name, 'node', '-e', "fetch('http://127.0.0.1:8080/').then((r) => r.text())"]);
    const idle = await runtime.activity(name);
    expect(idle.sshConnections).toBe(0);
    expect(idle.workbenchAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    const { sshPort } = (await ada.graphql('query($id: ID!) { session(id: $id) { sshPort } }', { id: session.id })).body
      .data.session;
    const socket = net.connect(sshPort, '127.0.0.1');
    await new Promise((resolve) => socket.once('data', resolve)); // the SSH banner: connected
    try {
      expect((await runtime.activity(name)).sshConnections).toBe(1);
    } finally {
      socket.destroy();
    }
    await stopSessionAndWait(ada, session.id);
  }, 180_000);

  it("keeps the user's environment and SSH host key from one session to the next, until they reset it", async () => {
    const inSession = (slug: string, script: string) =>
      execFileSync('docker', ['exec', `mf-session-${slug}`, 'bash', '-lc', script], { encoding: 'utf8' });
    const hostKey = (port: number) =>
      execFileSync('ssh-keyscan', ['-p', String(port), '-t', 'ed25519', '127.0.0.1'], { encoding: 'utf8' })
        .split(' ')
        .slice(1)
        .join(' ')
        .trim();
    const first = await startRunningSession(ada);
    expect(inSession(first.slug, 'echo $HOME').trim()).toBe('/workspace/.home');
    // A VS Code setting, a dotfile, a user-level Python package and a cached model, as a user leaves them.
    inSession(
      first.slug,
      'set -e; cd ~; f=.local/share/code-server/User/settings.json; ' +
        "node -e \"const fs=require('fs');const s=JSON.parse(fs.readFileSync(process.argv[1]));" +
        "s['editor.fontSize']=17;fs.writeFileSync(process.argv[1],JSON.stringify(s))\" $f; " +
        'echo "alias mfll=\'ls -l\'" >> .bashrc; ' +
        'mkdir -p .local/lib/python3.11/site-packages/mypkg && echo "VERSION = 1" > .local/lib/python3.11/site-packages/mypkg/__init__.py; ' +
        'mkdir -p .cache/models && echo weights > .cache/models/unet.pt',
    );
    // How full the home is: to its owner (and admins), never to anyone else.
    const usage = await ada.graphql('{ me { id homeUsage { usedBytes quotaBytes nearlyFull } } }');
    expect(usage.body.data.me.homeUsage).toEqual({
      usedBytes: expect.any(Number),
      quotaBytes: 1024 ** 3,
      nearlyFull: false,
    });
    const stranger = new ApiClient(stack.gateway.url);
    await stranger.signUp(uniqueEmail('stranger'));
    const peek = await stranger.graphql('query($id: ID!) { user(id: $id) { homeUsage { usedBytes } } }', {
      id: usage.body.data.me.id,
    });
    expect(peek.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const firstPort = (await ada.get('/api/v2/external/sessions/current')).body.data[0].ssh_port as number;
    const key = hostKey(firstPort);
    expect(key).toMatch(/^ssh-ed25519 /);
    const entry = (await ada.get('/api/v2/external/sessions/current')).body.data[0].ssh_config as string;
    expect(entry).toContain(`Port ${firstPort}`);
    expect(entry).toMatch(/HostKeyAlias medforge-home-[0-9a-f]{8}\n/);
    await stopSessionAndWait(ada, first.id);

    const second = await startRunningSession(ada);
    expect(inSession(second.slug, 'cat ~/.cache/models/unet.pt; grep -c "alias mfll" ~/.bashrc')).toBe('weights\n1\n');
    expect(inSession(second.slug, 'cat ~/.local/share/code-server/User/settings.json')).toContain(
      '"editor.fontSize":17',
    );
    expect(inSession(second.slug, 'cat ~/.local/lib/python3.11/site-packages/mypkg/__init__.py')).toBe('VERSION = 1\n');
    const secondPort = (await ada.get('/api/v2/external/sessions/current')).body.data[0].ssh_port as number;
    expect(hostKey(secondPort)).toBe(key); // another port, the same host key
    // Repositories at /workspace do not see the environment folder; the snapshot holds it, like the home.
    const untracked = inSession(second.slug, 'cd /workspace && git init -q && git status --porcelain --ignored=no');
    expect(untracked).toMatch(/^\?\? /m); // the user's files, as they are
    expect(untracked).not.toContain('.home');
    // Reset: asked for confirmation, then moved aside (never deleted); the next session starts afresh.
    expect(() => inSession(second.slug, 'medforge reset-environment')).toThrow(/run it again with --yes/);
    expect(inSession(second.slug, 'medforge reset-environment --yes')).toMatch(
      /^moved your environment to \/workspace\/\.home-reset-/,
    );
    await stopSessionAndWait(ada, second.id);
    const third = await startRunningSession(ada);
    expect(inSession(third.slug, 'grep -c "alias mfll" ~/.bashrc || true').trim()).toBe('0');
    expect(inSession(third.slug, 'ls -d /workspace/.home-reset-*').trim()).toMatch(/\.home-reset-/);
    const thirdPort = (await ada.get('/api/v2/external/sessions/current')).body.data[0].ssh_port as number;
    expect(hostKey(thirdPort)).not.toBe(key);
    await stopSessionAndWait(ada, third.id);
  }, 240_000);

  it('puts SSH keys added or deleted while a session runs into it at once, without a restart', async () => {
    const session = await startRunningSession(ada);
    const authorizedKeys = () =>
      execFileSync('docker', ['exec', `mf-session-${session.slug}`, 'cat', '/tmp/medforge-sshd/authorized_keys'])
        .toString()
        .trim();
    const before = authorizedKeys();
    const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'mf-key-')), 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'later@laptop', '-f', keyFile]);
    const publicKey = readFileSync(`${keyFile}.pub`, 'utf8').trim();
    const added = await ada.post('/api/v2/me/ssh-keys', { name: 'added later', public_key: publicKey });
    expect(added.status).toBe(201);
    await until('the new key in the session', 10_000, async () =>
      authorizedKeys().includes(publicKey) ? true : undefined,
    );
    expect((await ada.request('DELETE', `/api/v2/me/ssh-keys/${added.body.data.id}`)).status).toBe(200);
    await until('the key gone again', 10_000, async () => (authorizedKeys() === before ? true : undefined));
    await stopSessionAndWait(ada, session.id);
  }, 180_000);

  it('ends a session whose container dies while starting as ERROR within 2 s, with the exit code and its log', async () => {
    const admin = new ApiClient(stack.gateway.url);
    const adminId = await admin.signUp(uniqueEmail('pack-admin'));
    await makeAdmin(stack, adminId);
    const added = await admin.graphql('mutation($i: String!) { addPack(name: "unreadable", imageRef: $i) { id } }', {
      i: unreadablePackImageId(),
    });
    const packId = added.body.data.addPack.id as string;

    // Docker's own record of the exit, followed from before the start.
    const dies = spawn('docker', [
      ...['events', '--filter', 'event=die', '--filter', 'label=dev.medforge.slug', '--format'],
      '{{.TimeNano}} {{index .Actor.Attributes "exitCode"}} {{index .Actor.Attributes "dev.medforge.slug"}}',
    ]);
    let dieLines = '';
    dies.stdout.on('data', (chunk: Buffer) => (dieLines += chunk.toString('utf8')));
    try {
      const created = await ada.graphql(
        'mutation($p: ID) { createSession(exposure: EXTERNAL, packId: $p) { id slug } }',
        { p: packId },
      );
      const { id, slug } = created.body.data.createSession;
      const failed = await until('ERROR', 30_000, async () => {
        const s = await sessionById(id);
        if (s.status === 'RUNNING') throw new Error('a pack that cannot run code-server reached RUNNING');
        return s.status === 'ERROR' ? s : undefined;
      });
      expect(failed.errorMessage).toContain('Starting failed: the container exited with code 127 while starting');
      expect(failed.errorMessage).toContain('code-server: not found');

      const [diedAtNs, exitCode] = await until('the die event', 10_000, async () =>
        dieLines
          .split('\n')
          .map((line) => line.split(' '))
          .find((fields) => fields[2] === slug),
      );
      expect(exitCode).toBe('127');
      const stoppedAt = Date.parse(
        (await ada.graphql('query($id: ID!) { session(id: $id) { stoppedAt } }', { id })).body.data.session.stoppedAt,
      );
      expect(stoppedAt - Number(diedAtNs) / 1e6).toBeLessThan(2_000);
    } finally {
      dies.kill();
    }
  }, 120_000);

  it('a stop that lands while the session is STARTING leaves no container behind and frees the GPU', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const created = await ada.post('/api/v2/external/sessions');
      expect(created.status).toBe(201);
      const { id, slug } = created.body.data;
      // At once: provisioning is still creating the workspace or the container.
      expect((await ada.post(`/api/v2/external/sessions/${id}/stop`)).status).toBe(202);
      const ended = await until('STOPPED', 60_000, async () => {
        const s = await sessionById(id);
        return s.status === 'STOPPED' || s.status === 'ERROR' ? s : undefined;
      });
      expect(ended.status).toBe('STOPPED');
      // Whatever provisioning started after the stop must be gone too, and stay gone.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const left = execFileSync(
        'docker',
        ['ps', '-a', '--filter', `name=mf-session-${slug}`, '--format', '{{.Names}}'],
        {
          encoding: 'utf8',
        },
      );
      expect(left.trim()).toBe('');
      expect((await ada.get('/api/v2/external/sessions/current')).body.data).toEqual([]);
    }
  }, 180_000);

  it('refuses INTERNAL without the entitlement and hides other users’ sessions', async () => {
    const internal = await ada.post('/api/v2/internal/sessions');
    expect(internal.status).toBe(403);
    expect(internal.body.detail).toMatch(/internal entitlement/);
    const bob = new ApiClient(stack.gateway.url);
    await bob.signUp(uniqueEmail('bob'));
    const [{ id }] = (await stack.sessionRuntime.knex('sessions').select('id').limit(1)) as Array<{ id: string }>;
    const stop = await bob.post(`/api/v2/external/sessions/${id}/stop`);
    expect(stop.status).toBe(404);
    expect((await new ApiClient(stack.gateway.url).post('/api/v2/external/sessions')).status).toBe(401);
    expect((await ada.post('/api/v2/elsewhere/sessions')).status).toBe(404);
  });
});

describe('a stop whose snapshot fails (directory workspaces on the real Docker)', () => {
  let stack: TestStack;
  let owner: ApiClient;
  const root = mkdtempSync(path.join(tmpdir(), 'mf-snapfail-'));

  beforeAll(async () => {
    stack = await startTestStack({
      MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
      WORKSPACE_BACKEND: 'directory',
      WORKSPACE_DIRECTORY_ROOT: root,
      SESSION_STOP_GRACE_SECONDS: '1',
    });
    owner = new ApiClient(stack.gateway.url);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('ends ERROR with the reason, removes the container and keeps the files', async () => {
    const userId = await owner.signUp(uniqueEmail('snapfail'));
    const { id, slug } = await startRunningSession(owner);
    execFileSync('docker', ['exec', `mf-session-${slug}`, 'bash', '-c', 'echo "unsaved work" > /workspace/work.txt']);
    // The snapshot area cannot take this user's snapshots: a file stands where their folder must go.
    mkdirSync(path.join(root, '.snapshots'), { recursive: true });
    writeFileSync(path.join(root, '.snapshots', userId), 'in the way');

    expect((await owner.post(`/api/v2/external/sessions/${id}/stop`)).status).toBe(202);
    const ended = await until('the end of the stop', 60_000, async () => {
      const s = (
        await owner.graphql('query($id: ID!) { session(id: $id) { status errorMessage snapshotName } }', { id })
      ).body.data.session;
      return s.status === 'STOPPED' || s.status === 'ERROR' ? s : undefined;
    });
    expect(ended.status).toBe('ERROR');
    expect(ended.errorMessage).toMatch(/^Stopping failed: /);
    expect(ended.snapshotName).toBeNull();
    expect(readFileSync(path.join(root, userId, 'home', 'work.txt'), 'utf8')).toBe('unsaved work\n');
    expect(() => execFileSync('docker', ['inspect', `mf-session-${slug}`], { stdio: 'pipe' })).toThrow();
    expect((await owner.get('/api/v2/external/sessions/current')).body.data).toEqual([]);
  }, 180_000);
});
