import { randomUUID } from 'node:crypto';

import { createLogger } from '@medforge/shared-schema';
import {
  dropDatabase,
  removeTestInstance,
  postGraphQL,
  signedHeaders,
  testDatabaseOptions,
  testEnv,
} from '@medforge/shared-schema/testing';

import { loadSessionRuntimeConfig, type SessionRuntimeApp, startSessionRuntime } from '../../src';
import { VirtualGpuInventory } from '../../src/adapters/virtual-gpu-inventory';
import { GpuRegistry } from '../../src/services/gpu-registry';

describe('session-runtime subgraph on the real MariaDB', () => {
  const db = testDatabaseOptions('session');
  let app: SessionRuntimeApp;
  const owner = randomUUID();
  const packId = randomUUID();
  let slugCounter = 0;

  const insertSession = (gpuId: number, status: string) =>
    app.knex('sessions').insert({
      id: randomUUID(),
      user_id: owner,
      exposure: 'external',
      pack_id: packId,
      gpu_id: gpuId,
      status,
      slug: `s${String(slugCounter++).padStart(7, '0')}`,
      workspace_zfs: `tank/medforge/workspaces/${owner}/x`,
    });

  beforeAll(async () => {
    app = await startSessionRuntime(
      loadSessionRuntimeConfig(
        testEnv({ SESSION_RUNTIME_PORT: '0', SESSION_DB_NAME: db.database, MEDFORGE_GPUS: 'virtual:3' }),
      ),
    );
    await app
      .knex('packs')
      .insert({ id: packId, name: 'default', image_ref: 'medforge/pack@sha256:' + 'a'.repeat(64), is_default: true });
    await app.knex('session_owners').insert({ user_id: owner });
  });

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(db);
    removeTestInstance(db.database);
  });

  afterEach(() => app.knex('sessions').delete());

  it('registers the virtual inventory at start', async () => {
    const rows = await app.knex('gpu_devices').orderBy('id');
    expect(rows.map((r) => [r.id, r.is_virtual, r.enabled, r.present])).toEqual([
      [0, true, true, true],
      [1, true, true, true],
      [2, true, true, true],
    ]);
  });

  it('lets the database refuse a second active session on the same GPU', async () => {
    await insertSession(0, 'running');
    await expect(insertSession(0, 'starting')).rejects.toThrow(
      /Duplicate entry .* for key 'sessions_gpu_active_unique'/,
    );
    await expect(insertSession(0, 'stopping')).rejects.toThrow(/sessions_gpu_active_unique/);
  });

  it('lets any number of finished sessions share a GPU', async () => {
    await insertSession(1, 'stopped');
    await insertSession(1, 'error');
    await insertSession(1, 'stopped');
    await insertSession(1, 'running');
    expect(await app.knex('sessions').where({ gpu_id: 1 }).count({ n: '*' })).toEqual([{ n: 4 }]);
  });

  it('frees the GPU as soon as the session leaves the active states', async () => {
    await insertSession(2, 'running');
    await app.knex('sessions').where({ gpu_id: 2 }).update({ status: 'stopped' });
    await insertSession(2, 'starting');
  });

  it('keeps the admin enabled flag and marks vanished GPUs absent on re-sync', async () => {
    const registry = new GpuRegistry(app.knex);
    await app.knex('gpu_devices').where({ id: 1 }).update({ enabled: false });
    await registry.syncFrom(new VirtualGpuInventory(2), createLogger('test', 'silent'));
    const rows = await app.knex('gpu_devices').orderBy('id');
    expect(rows.map((r) => [r.id, r.enabled, r.present])).toEqual([
      [0, true, true],
      [1, false, true],
      [2, true, false],
    ]);
    await insertSession(0, 'running');
    const { body } = await postGraphQL(app.url, '{ gpuAvailability { total enabled free } }', {}, signedHeaders(null));
    expect(body.data).toEqual({ gpuAvailability: { total: 2, enabled: 1, free: 0 } });
    await registry.syncFrom(new VirtualGpuInventory(3), createLogger('test', 'silent'));
  });

  describe("User.sessions (a user's private data)", () => {
    const query =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { sessions { slug status pack { name } } } } }';
    const variables = { r: [{ __typename: 'User', id: owner }] };

    beforeEach(() => insertSession(0, 'running'));

    it('is visible to its owner', async () => {
      const { body } = await postGraphQL(
        app.url,
        query,
        variables,
        signedHeaders({ userId: owner, role: 'user', canUseInternal: false }),
      );
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        _entities: [
          { sessions: [{ slug: expect.stringMatching(/^s\d{7}$/), status: 'RUNNING', pack: { name: 'default' } }] },
        ],
      });
    });

    it('is visible to an admin', async () => {
      const { body } = await postGraphQL(
        app.url,
        query,
        variables,
        signedHeaders({ userId: randomUUID(), role: 'admin', canUseInternal: false }),
      );
      expect(body.errors).toBeUndefined();
    });

    it('is refused to another user and to anonymous callers', async () => {
      const other = await postGraphQL(
        app.url,
        query,
        variables,
        signedHeaders({ userId: randomUUID(), role: 'user', canUseInternal: true }),
      );
      expect(other.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      const anonymous = await postGraphQL(app.url, query, variables, signedHeaders(null));
      expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    });
  });
});
