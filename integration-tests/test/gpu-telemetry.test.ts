import { join } from 'node:path';

import { NvidiaSmiInventory, NvidiaSmiTelemetry } from '@medforge/session-runtime';
import type { Client } from 'graphql-ws';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { collect, wsClient } from '../testkit/graphql-ws';
import { addPack, addSessionRow, makeAdmin } from '../testkit/seed';
import { startTestStack, type TestStack } from '../testkit/stack';
import { untilTrue } from '../testkit/wait';

const TELEMETRY = `subscription Telemetry($index: Int) {
  gpuTelemetryUpdated(index: $index) { index telemetry { utilizationPercent memoryUsedMib powerW } heldBy { slug } }
}`;

describe('gpuTelemetryUpdated: live GPU readings over graphql-ws, for the holder and administrators only', () => {
  let stack: TestStack;
  let ada: ApiClient;
  let bob: ApiClient;
  let admin: ApiClient;
  let adaSession: string;
  const clients: Client[] = [];
  const open = (cookie: string | null) => {
    const client = wsClient(stack.gateway.url, cookie);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // nvidia-smi as a host with seven GPUs prints it (ops/test/fake-nvidia-smi), read every second.
    const nvidiaSmi = join(__dirname, '../../ops/test/fake-nvidia-smi');
    stack = await startTestStack(
      { GPU_TELEMETRY_INTERVAL_SECONDS: '1' },
      {
        sessionRuntimeAdapters: {
          gpus: new NvidiaSmiInventory(nvidiaSmi),
          telemetry: new NvidiaSmiTelemetry(nvidiaSmi),
        },
      },
    );
    ada = new ApiClient(stack.gateway.url);
    bob = new ApiClient(stack.gateway.url);
    admin = new ApiClient(stack.gateway.url);
    const adaId = await ada.signUp(uniqueEmail('tele-ada'));
    await bob.signUp(uniqueEmail('tele-bob'));
    await makeAdmin(stack, await admin.signUp(uniqueEmail('tele-admin')));
    // Ada's session holds GPU 1 (a row as the allocator leaves it: the readings concern the GPU, not a container).
    adaSession = await addSessionRow(stack, {
      userId: adaId,
      packId: await addPack(stack),
      gpuId: 1,
      status: 'running',
      slug: 'telemeta',
    });
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await stack?.stop();
  });

  it('streams each reading to admins (all GPUs or one) and to the owner of the session on that GPU, nobody else', async () => {
    const mine = collect(open(ada.cookie), TELEMETRY);
    const theirs = collect(open(bob.cookie), TELEMETRY);
    const everything = collect(open(admin.cookie), TELEMETRY);
    const gpuZero = collect(open(admin.cookie), TELEMETRY, { index: 0 });
    await untilTrue('two rounds of readings', 15_000, () => mine.events.length >= 2 && gpuZero.events.length >= 2);

    for (const subscriber of [mine, theirs, everything, gpuZero]) expect(subscriber.errors).toEqual([]);
    expect(theirs.events).toEqual([]);
    expect(new Set(mine.events.map((e) => e.gpuTelemetryUpdated.index))).toEqual(new Set([1]));
    expect(new Set(gpuZero.events.map((e) => e.gpuTelemetryUpdated.index))).toEqual(new Set([0]));
    await untilTrue(
      'a reading of every GPU',
      10_000,
      () => new Set(everything.events.map((e) => e.gpuTelemetryUpdated.index)).size === 7,
    );
    const latest = mine.events.at(-1).gpuTelemetryUpdated;
    expect(latest.heldBy).toEqual({ slug: 'telemeta' });
    expect(latest.telemetry.length).toBeGreaterThanOrEqual(2);
    expect(latest.telemetry.at(-1)).toMatchObject({ memoryUsedMib: 2048, powerW: 110.25 });
    // The last GPU reports no power ([N/A]): null, not 0.
    const last = everything.events.filter((e) => e.gpuTelemetryUpdated.index === 6).at(-1).gpuTelemetryUpdated;
    expect(last.telemetry.at(-1).powerW).toBeNull();

    // Once her session ends, the GPU's readings are no longer hers to see.
    await stack.sessionRuntime.knex('sessions').where({ id: adaSession }).update({ status: 'stopped' });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a reading taken before the stop may still arrive
    const seen = mine.events.length;
    const adminSeen = everything.events.length;
    await untilTrue('two more rounds for the admin', 15_000, () => everything.events.length >= adminSeen + 14);
    expect(mine.events.length).toBe(seen);
    expect(mine.errors).toEqual([]);
    for (const subscriber of [mine, theirs, everything, gpuZero]) subscriber.stop();
  }, 60_000);

  it('answers gpu(index) to the holder and admins, NOT_FOUND to others; anonymous subscribers are refused', async () => {
    await stack.sessionRuntime.knex('sessions').where({ id: adaSession }).update({ status: 'running' });
    const query = 'query($index: Int!) { gpu(index: $index) { index name telemetry { utilizationPercent } } }';
    const own = await ada.graphql(query, { index: 1 });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.gpu).toMatchObject({ index: 1, name: 'NVIDIA H200' });
    const other = await bob.graphql(query, { index: 1 });
    expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const missing = await admin.graphql(query, { index: 9 });
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await admin.graphql(query, { index: 2 })).body.data.gpu.index).toBe(2);

    const anonymous = collect(open(null), TELEMETRY);
    await untilTrue('anonymous refused', 10_000, () => anonymous.errors.length > 0);
    expect(anonymous.errors[0].extensions?.code ?? anonymous.errors[0].message).toMatch(/UNAUTHENTICATED|Sign in/);
    expect(anonymous.events).toEqual([]);
  });
});
