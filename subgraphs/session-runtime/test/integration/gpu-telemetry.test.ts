import { randomUUID } from 'node:crypto';

import { createLogger, GPU_TELEMETRY_CHANNEL } from '@medforge/shared-schema';
import {
  dropDatabase,
  RecordingPublisher,
  postGraphQL,
  signedHeaders,
  testDatabaseOptions,
  testEnv,
} from '@medforge/shared-schema/testing';

import { loadSessionRuntimeConfig, type SessionRuntimeApp, startSessionRuntime } from '../../src';
import { type GpuSample } from '../../src/ports/gpu-telemetry';
import { parseTelemetryCsv } from '../../src/adapters/nvidia-smi-telemetry';
import { GpuTelemetry } from '../../src/services/gpu-telemetry';
import { GpuTelemetryEvents } from '../../src/services/gpu-telemetry-events';
import type { SessionRow } from '../../src/db/models/session.model';
import { InMemoryContainerRuntime } from '../fakes/in-memory-container-runtime';
import { InMemoryWorkspaceStore } from '../fakes/in-memory-workspace-store';

// As `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw
// --format=csv,noheader,nounits` prints it; a GPU that cannot report its power says [N/A].
const NVIDIA_SMI = `0, 87, 61234, 81559, 64, 412.56
1, 0, 1, 81559, 31, [N/A]
`;

describe('GPU telemetry', () => {
  const logger = createLogger('session-runtime', 'silent');

  it('parses nvidia-smi readings, with unreported metrics as null', () => {
    const at = new Date('2026-12-03T08:00:00Z');
    expect(parseTelemetryCsv(NVIDIA_SMI, at)).toEqual([
      {
        index: 0,
        at,
        utilizationPercent: 87,
        memoryUsedMib: 61234,
        memoryTotalMib: 81559,
        temperatureC: 64,
        powerW: 412.56,
      },
      { index: 1, at, utilizationPercent: 0, memoryUsedMib: 1, memoryTotalMib: 81559, temperatureC: 31, powerW: null },
    ]);
    expect(() => parseTelemetryCsv('0, 87, 61234\n', at)).toThrow(/not index plus five metrics/);
  });

  it('keeps the last readings of each GPU, oldest first', async () => {
    let tick = 0;
    const telemetry = new GpuTelemetry(
      { sample: async () => parseTelemetryCsv(NVIDIA_SMI.replace('87', String(tick++)), new Date()) },
      60_000,
      3,
      logger,
    );
    for (let i = 0; i < 5; i++) await telemetry.sampleOnce();
    expect(telemetry.history(0).map((s) => s.utilizationPercent)).toEqual([2, 3, 4]);
    expect(telemetry.history(7)).toEqual([]);
    expect(new GpuTelemetry(null, 60_000, 3, logger).available).toBe(false);
  });

  it('announces every round of readings, one message per GPU naming who holds it; a failing Redis is logged once', async () => {
    const publisher = new RecordingPublisher();
    const holders = new Map([[1, { user_id: 'owner-1' } as SessionRow]]);
    const events = new GpuTelemetryEvents(publisher, { holders: async () => holders }, logger);
    const telemetry = new GpuTelemetry(
      { sample: async () => parseTelemetryCsv(NVIDIA_SMI, new Date('2026-12-03T08:00:00Z')) },
      60_000,
      3,
      logger,
      (samples) => events.readingsTaken(samples),
    );
    await telemetry.sampleOnce();
    expect(publisher.messages).toEqual([
      { channel: GPU_TELEMETRY_CHANNEL, event: { gpuIndex: 0, userId: null, at: '2026-12-03T08:00:00.000Z' } },
      { channel: GPU_TELEMETRY_CHANNEL, event: { gpuIndex: 1, userId: 'owner-1', at: '2026-12-03T08:00:00.000Z' } },
    ]);

    const warnings: unknown[] = [];
    const broken = new GpuTelemetryEvents(
      { publish: async () => Promise.reject(new Error('redis down')) },
      { holders: async () => holders },
      { ...logger, warn: (...args: unknown[]) => void warnings.push(args), info: () => undefined } as never,
    );
    await broken.readingsTaken(parseTelemetryCsv(NVIDIA_SMI, new Date()));
    await broken.readingsTaken(parseTelemetryCsv(NVIDIA_SMI, new Date()));
    expect(warnings).toHaveLength(1);
  });

  describe('through GraphQL', () => {
    const db = testDatabaseOptions('telemetry');
    let app: SessionRuntimeApp;
    const owner = randomUUID();
    const stranger = randomUUID();
    const sessionId = randomUUID();
    const reading = (index: number): GpuSample => ({
      index,
      at: new Date(),
      utilizationPercent: 50 + index,
      memoryUsedMib: 1024,
      memoryTotalMib: 81559,
      temperatureC: 60,
      powerW: 300,
    });

    beforeAll(async () => {
      app = await startSessionRuntime(
        loadSessionRuntimeConfig(testEnv({ SESSION_RUNTIME_PORT: '0', SESSION_DB_NAME: db.database })),
        {
          containers: new InMemoryContainerRuntime(),
          workspaces: new InMemoryWorkspaceStore(),
          sshKeys: { authorizedKeys: async () => [] },
          gpus: {
            list: async () =>
              [0, 1].map((index) => ({
                index,
                uuid: `GPU-0000000${index}-aaaa-bbbb-cccc-dddddddddddd`,
                name: 'NVIDIA H200',
                memoryMib: 81559,
                isVirtual: false,
              })),
          },
          telemetry: { sample: async () => [reading(0), reading(1)] },
        },
      );
      await app.services.telemetry.sampleOnce();
      const packId = randomUUID();
      await app.knex('packs').insert({ id: packId, name: 'default', image_ref: `sha256:${'c'.repeat(64)}` });
      await app.knex('session_owners').insert([{ user_id: owner }, { user_id: stranger }]);
      await app.knex('sessions').insert({
        id: sessionId,
        user_id: owner,
        exposure: 'external',
        pack_id: packId,
        gpu_id: 0,
        status: 'running',
        slug: 'tele0000',
        workspace_zfs: `${owner}/home`,
      });
    });

    afterAll(async () => {
      await app?.stop();
      await dropDatabase(db);
    });

    const ask = (actor: { userId: string; role: 'user' | 'admin' }, query: string) =>
      postGraphQL(app.url, query, { id: sessionId }, signedHeaders({ ...actor, canUseInternal: false }));

    it('shows admins every GPU and owners the GPU their running session holds, nobody else', async () => {
      const admin = await ask(
        { userId: randomUUID(), role: 'admin' },
        '{ gpus { index telemetry { utilizationPercent } } }',
      );
      expect(admin.body).toMatchObject({
        data: {
          gpus: [
            { index: 0, telemetry: expect.arrayContaining([{ utilizationPercent: 50 }]) },
            { index: 1, telemetry: expect.arrayContaining([{ utilizationPercent: 51 }]) },
          ],
        },
      });
      const query = 'query($id: ID!) { session(id: $id) { gpu { telemetry { utilizationPercent powerW } } } }';
      const mine = await ask({ userId: owner, role: 'user' }, query);
      expect(mine.body).toMatchObject({
        data: { session: { gpu: { telemetry: expect.arrayContaining([{ utilizationPercent: 50, powerW: 300 }]) } } },
      });
      expect(await ask({ userId: stranger, role: 'user' }, query)).toMatchObject({ body: { data: { session: null } } });

      // Once the session ends, its past record no longer shows who uses the GPU now.
      await app.knex('sessions').where({ id: sessionId }).update({ status: 'stopped' });
      expect(await ask({ userId: owner, role: 'user' }, query)).toMatchObject({
        body: { data: { session: { gpu: { telemetry: null } } } },
      });
    });
  });
});
