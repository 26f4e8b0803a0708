// Benchmark: what GPU telemetry costs on a host with seven GPUs. Three runs of the built platform side by
// side, BENCH_SECONDS (30) each: on seven virtual GPUs (no telemetry); reading nvidia-smi every
// GPU_TELEMETRY_INTERVAL_SECONDS (1 s here, five times the default rate, to have many rounds) with nobody
// watching; and the same with an administrator watching every GPU over `gpuTelemetryUpdated`. Prints CPU
// per round of readings: sampling (session-runtime: the nvidia-smi process it waits for, parsing, who
// holds each GPU, the Redis announcements) and delivering to one watcher (the gateway's federated query
// per GPU, session-runtime answering it), the share of one core at the default 5 s interval, and the
// latency from a reading to the subscriber.
// Without NVIDIA GPUs nvidia-smi is ops/test/fake-nvidia-smi (seven H200s): the figures are then
// MedForge's own cost plus a shell script's, not the driver's; on a GPU host BENCH_NVIDIA_SMI=real uses
// the real nvidia-smi.
// Run: npm run bench:gpu-telemetry (builds first).
const { mkdtempSync, readFileSync, symlinkSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createClient } = require('graphql-ws');
const { WebSocket: NodeWebSocket } = require('ws');

const { percentile } = require('./lib/platform');
const { benchDatabase, root, startBenchStack } = require('./lib/stack');

const ORIGIN = 'http://medforge.localhost:8080';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const GPUS = 7;
const DEFAULT_INTERVAL_S = 5;
const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU time of a process in ms: its own (user + system), and that of the children it has waited for. */
function cpuOf(pid) {
  // Fields after the command name (which may hold spaces): state is field 3, utime 14 ... cstime 17.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ms = (i) => (Number(fields[i - 3]) * 1000) / CLOCK_TICKS_PER_S;
  return { self: ms(14) + ms(15), children: ms(16) + ms(17) };
}

async function signUpAdmin(stack) {
  const email = `bench-admin-${Date.now()}@example.org`;
  const password = 'benchmark password';
  const post = (route, body) =>
    fetch(`${stack.gatewayUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify(body),
    });
  const signedUp = await post('/api/v2/auth/signup', { email, password });
  if (signedUp.status !== 201) throw new Error(`sign-up failed: ${await signedUp.text()}`);
  const knex = benchDatabase(stack, 'IDENTITY_DB_NAME');
  await knex('users').where({ email }).update({ role: 'admin' });
  await knex.destroy();
  // A fresh sign-in, so no cached authentication still says "user".
  const signedIn = await post('/api/v2/auth/login', { email, password });
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${await signedIn.text()}`);
  return signedIn.headers.get('set-cookie').split(';')[0];
}

function watchEveryGpu(gatewayUrl, cookie, onReading) {
  class CookieSocket extends NodeWebSocket {
    constructor(address, protocols) {
      super(address, protocols, { headers: { cookie, origin: ORIGIN } });
    }
  }
  const client = createClient({ url: `${gatewayUrl.replace('http', 'ws')}/graphql`, webSocketImpl: CookieSocket });
  client.subscribe(
    {
      query: 'subscription { gpuTelemetryUpdated { index telemetry { at utilizationPercent memoryUsedMib powerW } } }',
    },
    {
      next: ({ data, errors }) => {
        if (errors) throw new Error(JSON.stringify(errors));
        onReading(data.gpuTelemetryUpdated, Date.now());
      },
      error: (error) => {
        throw error instanceof Error ? error : new Error(JSON.stringify(error));
      },
      complete: () => undefined,
    },
  );
  return client;
}

/** One run: the platform on `gpus`, watched for SECONDS; CPU of session-runtime and the gateway. */
async function run(label, env, watch) {
  const stack = await startBenchStack(4600, env);
  let client = null;
  try {
    const latencies = [];
    let readings = 0;
    if (watch) {
      const cookie = await signUpAdmin(stack);
      client = watchEveryGpu(stack.gatewayUrl, cookie, (gpu, receivedAt) => {
        readings += 1;
        latencies.push(receivedAt - Date.parse(gpu.telemetry.at(-1).at));
      });
      await new Promise((resolve) => setTimeout(resolve, 3000)); // subscribed, first rounds in
      readings = 0;
      latencies.length = 0;
    }
    const pids = Object.fromEntries(stack.children.map((child) => [child.name, child.pid]));
    const before = { runtime: cpuOf(pids['session-runtime']), gateway: cpuOf(pids.gateway) };
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const after = { runtime: cpuOf(pids['session-runtime']), gateway: cpuOf(pids.gateway) };
    return {
      label,
      runtimeSelf: after.runtime.self - before.runtime.self,
      runtimeChildren: after.runtime.children - before.runtime.children,
      gateway: after.gateway.self - before.gateway.self,
      readings,
      latencies,
    };
  } finally {
    await client?.dispose();
    await stack.stop();
  }
}

async function main() {
  const env = { GPU_TELEMETRY_INTERVAL_SECONDS: '1' };
  if (process.env.BENCH_NVIDIA_SMI !== 'real') {
    // nvidia-smi on the PATH is the seven-GPU stand-in.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-nvidia-smi-'));
    symlinkSync(path.join(root, 'ops/test/fake-nvidia-smi'), path.join(bin, 'nvidia-smi'));
    env.PATH = `${bin}:${process.env.PATH}`;
  }
  const idle = await run('7 virtual GPUs, no telemetry', { ...env, MEDFORGE_GPUS: `virtual:${GPUS}` }, false);
  const unwatched = await run('nvidia-smi every 1 s', { ...env, MEDFORGE_GPUS: 'nvidia-smi' }, false);
  const watched = await run('same, one admin watching', { ...env, MEDFORGE_GPUS: 'nvidia-smi' }, true);
  const rounds = watched.readings / GPUS;
  if (rounds < 1) throw new Error('no telemetry arrived');
  // Rounds happen once a second in both telemetry runs; the watched run counts them.
  const cpu = (r) => r.runtimeSelf + r.runtimeChildren + r.gateway;
  const sampling = {
    runtime: (unwatched.runtimeSelf - idle.runtimeSelf) / rounds,
    nvidiaSmi: (unwatched.runtimeChildren - idle.runtimeChildren) / rounds,
    total: (cpu(unwatched) - cpu(idle)) / rounds,
  };
  const delivery = (cpu(watched) - cpu(unwatched)) / rounds;
  const share = (ms) => `${((ms / (DEFAULT_INTERVAL_S * 1000)) * 100).toFixed(2)} % of one core`;
  console.log(`GPU telemetry, ${GPUS} GPUs, ${SECONDS} s per run, ${rounds.toFixed(0)} rounds of readings watched`);
  for (const r of [idle, unwatched, watched]) {
    console.log(
      `  ${r.label.padEnd(30)} session-runtime ${r.runtimeSelf.toFixed(0)} ms CPU (+ ${r.runtimeChildren.toFixed(0)} ms nvidia-smi), gateway ${r.gateway.toFixed(0)} ms`,
    );
  }
  console.log(
    `  sampling, per round of ${GPUS} GPUs: ${sampling.total.toFixed(1)} ms CPU (session-runtime ${sampling.runtime.toFixed(1)} ms, ` +
      `nvidia-smi ${sampling.nvidiaSmi.toFixed(1)} ms); at the default ${DEFAULT_INTERVAL_S} s interval ${share(sampling.total)}`,
  );
  console.log(
    `  delivering a round to one watcher of every GPU: ${delivery.toFixed(1)} ms CPU (gateway + session-runtime); ${share(delivery)} per watcher`,
  );
  console.log(
    `  reading taken → subscriber: p50 ${percentile(watched.latencies, 50)} ms, p99 ${percentile(watched.latencies, 99)} ms (n=${watched.latencies.length})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
