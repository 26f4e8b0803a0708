import { randomUUID } from 'node:crypto';

import { Exposure, createLogger } from '@medforge/shared-schema';
import { dropDatabase, removeTestInstance, testDatabaseOptions, testEnv } from '@medforge/shared-schema/testing';
import Docker from 'dockerode';

import { loadSessionRuntimeConfig, type SessionRuntimeApp, startSessionRuntime } from '../../src';
import { DockerRuntime } from '../../src/adapters/docker-runtime';
import { SessionRecovery } from '../../src/services/session-recovery';

describe('session recovery when Docker is unreachable', () => {
  const db = testDatabaseOptions('recovery_health');
  let app: SessionRuntimeApp;

  beforeAll(async () => {
    app = await startSessionRuntime(
      loadSessionRuntimeConfig(
        testEnv({ SESSION_RUNTIME_PORT: '0', SESSION_DB_NAME: db.database, MEDFORGE_INSTANCE: db.database }),
      ),
    );
  });

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(db);
    removeTestInstance(db.database);
  });

  it('reports failing with the cause, backs off, and recovers once reconciliation succeeds again', async () => {
    // A real Docker client aimed at a socket that does not exist: every call fails like a dead daemon.
    const deadDocker = new DockerRuntime(
      new Docker({ socketPath: '/run/medforge-test-no-docker.sock' }),
      { external: { name: 'x', subnet: '10.0.0.0/24' }, internal: { name: 'y', subnet: '10.0.1.0/24' } },
      db.database,
    );
    const recovery = new SessionRecovery(
      app.knex,
      deadDocker,
      app.services.lifecycle,
      { intervalMs: 60_000, maxBackoffMs: 120_000, installationId: randomUUID() },
      createLogger('test', 'silent'),
    );
    await app.knex('packs').insert({
      id: '00000000-0000-4000-8000-0000000000aa',
      name: 'p',
      image_ref: `sha256:${'d'.repeat(64)}`,
      is_default: true,
    });
    await app.knex('session_owners').insert({ user_id: '00000000-0000-4000-8000-0000000000bb' });
    await app.knex('sessions').insert({
      id: '00000000-0000-4000-8000-0000000000cc',
      user_id: '00000000-0000-4000-8000-0000000000bb',
      exposure: Exposure.EXTERNAL,
      pack_id: '00000000-0000-4000-8000-0000000000aa',
      gpu_id: 0,
      status: 'running',
      slug: 'zzzzzzzz',
      workspace_zfs: 'u/s',
    });
    await recovery.start();
    await recovery.stop();
    expect(recovery.health()).toMatch(/^failing \(1 in a row\): .*medforge-test-no-docker\.sock/);

    const healthy = app.services.recovery;
    await healthy.reconcile();
    expect(healthy.health()).toBe('ok');
  });

  it('answers /healthz 503 degraded when a check fails', async () => {
    const response = await fetch(app.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    await app.knex.destroy(); // the database goes away under the running subgraph
    const degraded = await fetch(app.url.replace('/graphql', '/healthz'));
    expect(degraded.status).toBe(503);
    const body = (await degraded.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('degraded');
    expect(body.checks['database']).toMatch(/^unreachable/);
  });
});
