import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';

import { createKnex, type Knex } from '@medforge/shared-schema';
import {
  destroyZfsTree,
  dropDatabase,
  postGraphQL,
  readFromSnapshot,
  removeTestInstance,
  signedHeaders,
  testDatabaseOptions,
  testEnv,
  testZfsRoot,
} from '@medforge/shared-schema/testing';

import { devPackImageId } from '../testkit/pack';
import { startTestStack, type TestStack } from '../testkit/stack';
import { until } from '../testkit/wait';

const root = path.resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * The session-runtime as its own process (the built dist, as production runs it), so that it can be
 * killed with SIGKILL at a chosen moment and started again on the same database.
 */
describe('session-runtime killed with SIGKILL mid-operation', () => {
  const db = testDatabaseOptions('crash');
  const zfsRoot = testZfsRoot();
  const owner = { userId: randomUUID(), role: 'user' as const, canUseInternal: false };
  let stack: TestStack;
  let knex: Knex;
  let child: ChildProcess | null = null;
  let url: string;
  let env: NodeJS.ProcessEnv;

  async function startRuntime(): Promise<void> {
    child = spawn(process.execPath, [path.join(root, 'subgraphs/session-runtime/dist/main.js')], {
      env,
      stdio: 'ignore',
    });
    await until('session-runtime healthy', 60_000, async () => {
      try {
        return (await fetch(url.replace('/graphql', '/healthz'))).ok ? true : undefined;
      } catch {
        return undefined;
      }
    });
  }

  async function kill(): Promise<void> {
    const dying = child!;
    child = null;
    const exited = new Promise((resolve) => dying.once('exit', resolve));
    dying.kill('SIGKILL');
    await exited;
  }

  const call = (query: string, variables: Record<string, unknown> = {}) =>
    postGraphQL<any>(url, query, variables, signedHeaders(owner));
  const instanceContainers = () =>
    execFileSync(
      'docker',
      ['ps', '-a', '--filter', `label=dev.medforge.instance=${db.database}`, '--format', '{{.Names}}'],
      {
        encoding: 'utf8',
      },
    ).trim();

  beforeAll(async () => {
    execFileSync('npm', ['run', '--silent', 'build', '-w', '@medforge/session-runtime'], {
      cwd: root,
      stdio: 'ignore',
    });
    stack = await startTestStack(); // identity, which the runtime asks for SSH keys
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    env = {
      ...process.env,
      ...testEnv({
        SESSION_RUNTIME_PORT: String(port),
        SESSION_DB_NAME: db.database,
        MEDFORGE_INSTANCE: db.database,
        MEDFORGE_DEFAULT_PACK_IMAGE: devPackImageId(),
        WORKSPACE_BACKEND: 'zfs',
        ZFS_WORKSPACE_ROOT: zfsRoot,
        IDENTITY_URL: stack.identity.url,
        SESSION_STOP_GRACE_SECONDS: '1',
      }),
    };
    knex = createKnex(db);
    await startRuntime();
  }, 600_000);

  afterAll(async () => {
    if (child) await kill();
    removeTestInstance(db.database);
    await knex?.destroy();
    await dropDatabase(db);
    await stack?.stop();
    destroyZfsTree(zfsRoot);
  });

  it('killed right after the create committed: the restart leaves no stranded row, GPU or container', async () => {
    const created = await call('mutation { createSession(exposure: EXTERNAL) { id status } }');
    expect(created.body.data.createSession.status).toBe('STARTING');
    await kill(); // provisioning was under way: workspace, container or readiness
    await startRuntime();
    const row = await knex('sessions').where({ id: created.body.data.createSession.id }).first();
    expect(row.status).toBe('error');
    expect(row.error_message).toMatch(/restarted while the session was starting/);
    expect(await knex('sessions').whereNotNull('gpu_active').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(instanceContainers()).toBe('');
  }, 180_000);

  it('killed right after a stop was accepted: the restart finishes the stop and keeps the workspace', async () => {
    const created = await call('mutation { createSession(exposure: EXTERNAL) { id slug } }');
    const { id, slug } = created.body.data.createSession;
    await until('RUNNING', 90_000, async () => {
      const row = await knex('sessions').where({ id }).first();
      if (row.status === 'error') throw new Error(row.error_message);
      return row.status === 'running' ? true : undefined;
    });
    execFileSync('docker', ['exec', `mf-session-${slug}`, 'bash', '-c', 'echo survived > /workspace/result.txt']);
    const stop = await call('mutation($id: ID!) { stopSession(id: $id) { status } }', { id });
    expect(stop.body.data.stopSession.status).toBe('STOPPING');
    await kill();
    await startRuntime();
    const row = await knex('sessions').where({ id }).first();
    expect(row.status).toBe('stopped');
    expect(readFromSnapshot(row.snapshot_name, 'result.txt')).toBe('survived\n');
    expect(instanceContainers()).toBe('');
    expect(await knex('sessions').whereIn('status', ['starting', 'stopping']).count({ n: '*' })).toEqual([{ n: 0 }]);
  }, 240_000);
});
