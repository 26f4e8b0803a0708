import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';

import { DomainError, Exposure } from '@medforge/shared-schema';
import { dropDatabase, removeTestInstance, testDatabaseOptions, testEnv } from '@medforge/shared-schema/testing';

import { loadSessionRuntimeConfig, type SessionRuntimeApp, startSessionRuntime } from '../../src';
import { DirectoryWorkspaceStore } from '../../src/adapters/directory-workspace-store';
import { SessionAllocator } from '../../src/services/session-allocator';
import { SLUG_PATTERN } from '../../src/services/slug';

describe('session allocation on the real MariaDB', () => {
  const db = testDatabaseOptions('alloc');
  let app: SessionRuntimeApp;
  let allocator: SessionAllocator;
  const packId = randomUUID();

  beforeAll(async () => {
    app = await startSessionRuntime(
      loadSessionRuntimeConfig(
        testEnv({ SESSION_RUNTIME_PORT: '0', SESSION_DB_NAME: db.database, MEDFORGE_GPUS: 'virtual:7' }),
      ),
    );
    await app
      .knex('packs')
      .insert({ id: packId, name: 'default', image_ref: `medforge/pack@sha256:${'a'.repeat(64)}`, is_default: true });
    allocator = new SessionAllocator(app.knex, new DirectoryWorkspaceStore(tmpdir()), {
      maxActivePerUser: 2,
      maxQueuedPerUser: 1,
      sshPortMin: 10000,
      sshPortMax: 10999,
    });
  });

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(db);
    removeTestInstance(db.database);
  });

  afterEach(() => app.knex('sessions').delete());

  it("inserts a starting row with a base32 slug, a GPU, an SSH port and the name of the user's home", async () => {
    const userId = randomUUID();
    const row = await allocator.allocate({ userId, exposure: Exposure.EXTERNAL, packId: null });
    expect(row).toMatchObject({
      user_id: userId,
      status: 'starting',
      exposure: 'external',
      pack_id: packId,
      gpu_active: 1,
    });
    expect(row.slug).toMatch(SLUG_PATTERN);
    expect(row.ssh_port).toBeGreaterThanOrEqual(10000);
    expect(row.ssh_port).toBeLessThanOrEqual(10999);
    expect(row.workspace_zfs).toBe(`${userId}/home`);
  });

  it('holds the per-user limit and names it', async () => {
    const userId = randomUUID();
    await allocator.allocate({ userId, exposure: Exposure.EXTERNAL, packId: null });
    await allocator.allocate({ userId, exposure: Exposure.INTERNAL, packId: null });
    await expect(allocator.allocate({ userId, exposure: Exposure.EXTERNAL, packId: null })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already have 2 active session\(s\)/),
    });
  });

  it('skips disabled GPUs and says when none is free', async () => {
    await app.knex('gpu_devices').whereNot({ id: 3 }).update({ enabled: false });
    try {
      const row = await allocator.allocate({ userId: randomUUID(), exposure: Exposure.EXTERNAL, packId: null });
      expect(row.gpu_id).toBe(3);
      const error = await allocator
        .allocate({ userId: randomUUID(), exposure: Exposure.EXTERNAL, packId: null })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('CAPACITY_EXHAUSTED');
    } finally {
      await app.knex('gpu_devices').update({ enabled: true });
    }
  });

  it('refuses an unknown or deprecated pack', async () => {
    await expect(
      allocator.allocate({ userId: randomUUID(), exposure: Exposure.EXTERNAL, packId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('storm: 40 concurrent creates from 10 users on 7 GPUs never over-allocate', async () => {
    const users = Array.from({ length: 10 }, () => randomUUID());
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        allocator.allocate({ userId: users[i % 10]!, exposure: Exposure.EXTERNAL, packId: null }),
      ),
    );
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(created).toHaveLength(7);
    // Each refusal is a full house or a user at their limit, never a database error.
    for (const r of refused) expect(['CAPACITY_EXHAUSTED', 'CONFLICT']).toContain((r.reason as DomainError).code);
    const active = await app.knex('sessions').whereIn('status', ['starting', 'running', 'stopping']);
    expect(active).toHaveLength(7);
    expect(new Set(active.map((s) => s.gpu_id)).size).toBe(7);
    expect(new Set(active.map((s) => s.ssh_port)).size).toBe(7);
    const perUser = new Map<string, number>();
    for (const s of active) perUser.set(s.user_id, (perUser.get(s.user_id) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(2);
  });

  it('storm: one user racing 20 creates gets exactly the limit', async () => {
    const userId = randomUUID();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => allocator.allocate({ userId, exposure: Exposure.EXTERNAL, packId: null })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
  });
});
