import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { loadSessionRuntimeConfig, type SessionRuntimeApp, startSessionRuntime } from '@medforge/session-runtime';
import { Exposure } from '@medforge/shared-schema';
import {
  destroyZfsTree,
  dropDatabase,
  readFromSnapshot,
  testDatabaseOptions,
  testEnv,
  testZfsRoot,
} from '@medforge/shared-schema/testing';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { devPackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';

const dockerNames = () =>
  execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' }).split('\n');

describe('session recovery on real Docker and zfs-fuse', () => {
  const zfsRoot = testZfsRoot();
  let stack: TestStack;
  let ada: ApiClient;
  let image: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    image = devPackImageId();
    env = {
      MEDFORGE_DEFAULT_PACK_IMAGE: image,
      WORKSPACE_BACKEND: 'zfs',
      ZFS_WORKSPACE_ROOT: zfsRoot,
      SESSION_STOP_GRACE_SECONDS: '1',
      // Reconciliation runs when the tests call it, not when the background poller happens to.
      SESSION_POLL_INTERVAL_SECONDS: '3600',
    };
    stack = await startTestStack(env);
    ada = new ApiClient(stack.gateway.url);
    await ada.signUp(uniqueEmail('recovery'));
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    destroyZfsTree(zfsRoot);
  });

  /** Labels a runtime with this stack's instance name puts on its containers (this installation's by default). */
  const instanceLabels = async (sessionId: string, installation?: string) => {
    const instance = stack.databases.session;
    const own = ((await stack.sessionRuntime.knex('installation').first('id')) as { id: string }).id;
    return [
      '--label',
      'dev.medforge.managed=true',
      '--label',
      `dev.medforge.instance=${instance}`,
      '--label',
      `dev.medforge.installation=${installation ?? own}`,
      '--label',
      `dev.medforge.session-id=${sessionId}`,
    ];
  };

  const rowOf = (id: string) => stack.sessionRuntime.knex('sessions').where({ id }).first();

  async function runningSession(): Promise<{ id: string; slug: string; workspace_zfs: string }> {
    const created = await ada.post('/api/v2/external/sessions');
    expect(created.status).toBe(201);
    return until('RUNNING', 90_000, async () => {
      const row = await rowOf(created.body.data.id);
      if (row.status === 'error') throw new Error(row.error_message);
      return row.status === 'running' ? row : undefined;
    });
  }

  /** A second session-runtime on the same database: what a restart after a crash finds. */
  async function restartedRuntime(): Promise<SessionRuntimeApp> {
    const db = stack.databases.session;
    const app = await startSessionRuntime(
      loadSessionRuntimeConfig(
        testEnv({
          ...env,
          SESSION_RUNTIME_PORT: '0',
          SESSION_DB_NAME: db,
          MEDFORGE_INSTANCE: db,
          IDENTITY_URL: stack.identity.url,
        }),
      ),
    );
    return app;
  }

  it('ends a session whose container was killed from outside as ERROR, with a snapshot of its workspace', async () => {
    const session = await runningSession();
    execFileSync('docker', ['exec', `mf-session-${session.slug}`, 'bash', '-c', 'echo precious > /workspace/data.txt']);
    execFileSync('docker', ['kill', `mf-session-${session.slug}`]);
    // Docker's die event triggers reconciliation at once: no waiting for the (hourly, here) poll.
    const row = await until('ERROR', 15_000, async () => {
      const current = await rowOf(session.id);
      return current.status === 'error' && current.snapshot_name ? current : undefined;
    });
    expect(row.error_message).toMatch(/ended unexpectedly: the container exited with code 137/);
    expect(readFromSnapshot(row.snapshot_name, 'data.txt')).toBe('precious\n');
    expect(row.gpu_active).toBeNull();
    expect(dockerNames()).not.toContain(`mf-session-${session.slug}`);
  }, 180_000);

  it("removes this installation's containers that have no active session, and never another's", async () => {
    const orphan = `mf-session-orph${randomUUID().slice(0, 4)}`;
    const foreign = `mf-session-frgn${randomUUID().slice(0, 4)}`;
    execFileSync('docker', ['run', '-d', '--name', orphan, ...(await instanceLabels(randomUUID())), image]);
    // Another installation given the same instance name by mistake: its session is none of ours.
    execFileSync('docker', [
      'run',
      '-d',
      '--name',
      foreign,
      ...(await instanceLabels(randomUUID(), randomUUID())),
      image,
    ]);
    try {
      const report = await stack.sessionRuntime.services.recovery.reconcile();
      expect(report.orphansRemoved).toBeGreaterThanOrEqual(1);
      expect(dockerNames()).not.toContain(orphan);
      expect(dockerNames()).toContain(foreign);
    } finally {
      execFileSync('docker', ['rm', '-f', foreign]);
    }
  }, 60_000);

  it('refuses to start a second installation under the instance name of this one, saying so', async () => {
    const other = `mf_t_second_${randomUUID().slice(0, 8)}`;
    try {
      await expect(
        startSessionRuntime(
          loadSessionRuntimeConfig(
            testEnv({
              ...env,
              SESSION_RUNTIME_PORT: '0',
              SESSION_DB_NAME: other,
              MEDFORGE_INSTANCE: stack.databases.session,
              IDENTITY_URL: stack.identity.url,
            }),
          ),
        ),
      ).rejects.toThrow(
        new RegExp(
          `MEDFORGE_INSTANCE "${stack.databases.session}" is already used on this container engine by another ` +
            'MedForge installation .*docker volume rm medforge-instance-',
        ),
      );
      // The running installation's sessions are untouched.
      expect((await stack.sessionRuntime.services.recovery.reconcile()).orphansRemoved).toBe(0);
    } finally {
      await dropDatabase({ ...testDatabaseOptions('unused'), database: other });
    }
  }, 60_000);

  it('after a crash at any point, a restart leaves no stranded row, leaked GPU, orphan container or lost workspace', async () => {
    // Four sessions frozen at the crash points by stopping their background work from the outside.
    const stopping = await runningSession();
    execFileSync('docker', ['exec', `mf-session-${stopping.slug}`, 'bash', '-c', 'echo keep-me > /workspace/keep.txt']);
    const knex = stack.sessionRuntime.knex;
    // Crash during stop: the row says STOPPING, the container still runs, no snapshot yet.
    await knex('sessions').where({ id: stopping.id }).update({ status: 'stopping', stop_requested_at: new Date() });

    const { allocator } = stack.sessionRuntime.services;
    const userId = randomUUID();
    // Crash right after the allocation commit: STARTING, nothing else exists.
    const afterCommit = await allocator.allocate({ userId, exposure: Exposure.EXTERNAL, packId: null });
    // Crash after the dataset was created.
    const afterDataset = await allocator.allocate({ userId: randomUUID(), exposure: Exposure.EXTERNAL, packId: null });
    execFileSync('zfs', ['create', '-p', `${afterDataset.workspace_zfs}`]);
    // Crash after the container was started.
    const afterContainer = await allocator.allocate({
      userId: randomUUID(),
      exposure: Exposure.EXTERNAL,
      packId: null,
    });
    execFileSync('docker', [
      'run',
      '-d',
      '--name',
      `mf-session-${afterContainer.slug}`,
      ...(await instanceLabels(afterContainer.id)),
      image,
    ]);

    const restarted = await restartedRuntime(); // boot reconciliation runs inside start
    try {
      const rows = await knex('sessions').whereIn('id', [
        stopping.id,
        afterCommit.id,
        afterDataset.id,
        afterContainer.id,
      ]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(rows.filter((r) => ['starting', 'stopping'].includes(r.status))).toEqual([]);
      expect(byId.get(stopping.id)).toMatchObject({ status: 'stopped' });
      expect(readFromSnapshot(byId.get(stopping.id).snapshot_name, 'keep.txt')).toBe('keep-me\n');
      for (const id of [afterCommit.id, afterDataset.id, afterContainer.id]) {
        expect(byId.get(id)).toMatchObject({
          status: 'error',
          error_message: expect.stringMatching(/restarted while the session was starting/),
        });
      }
      expect(await knex('sessions').whereNotNull('gpu_active').count({ n: '*' })).toEqual([{ n: 0 }]);
      const names = dockerNames();
      for (const slug of [stopping.slug, afterContainer.slug]) expect(names).not.toContain(`mf-session-${slug}`);
      expect(execFileSync('zfs', ['list', '-H', '-o', 'name', '-r', zfsRoot], { encoding: 'utf8' })).not.toContain(
        afterDataset.id,
      );
    } finally {
      await restarted.stop();
    }
  }, 240_000);

  it('reports recovery in /healthz', async () => {
    const health = await fetch(stack.sessionRuntime.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { database: 'ok', recovery: 'ok' } });
  });
});
