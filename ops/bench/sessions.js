// Benchmark: session lifecycle on the real stack (Docker, the dev pack's code-server, workspaces).
// Measures, over BENCH_SESSIONS (20) sequential sessions: create → RUNNING and stop → STOPPED latency
// as seen by a `sessionUpdated` subscriber, and event latency (state change published → subscriber has
// the federated payload; target p99 < 100 ms). Then the allocation storm: 40 concurrent creates from 10
// users on 7 GPUs, as requests per second through the gateway (each allocated session is stopped again).
// Recovery at scale: BENCH_FINISHED_ROWS (993) finished session rows beside 7 running sessions, then
// session-runtime killed and started again: its boot reconciliation, and the recovery poller's cost per
// cycle (wall time of a pass, CPU of the process per pass) polling every second.
// The queue: 7 GPUs held, BENCH_QUEUED (40) sessions waiting (one per user), the GPUs released one by one:
// a GPU's release (STOPPED published) → the head of the queue RUNNING (published), beside 7 starts on an
// idle host measured the same way (first event → RUNNING); target: within 100 ms of each other.
// BENCH_WORKSPACES=zfs (default) runs on the zfs-fuse pool (ZFS_POOL, default mfdev) with each user's
// home mounted; it then times a restore of a BENCH_RESTORE_MIB (1024) home snapshot. =directory uses
// directory homes and skips the restore.
// Run: npm run bench:sessions (builds first).
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const path = require('node:path');

const { createClient } = require('graphql-ws');
const { WebSocket: NodeWebSocket } = require('ws');

const { ORIGIN, cpuMs, percentile, signUp } = require('./lib/platform');
const { benchDatabase, restartService, root, startBenchStack } = require('./lib/stack');

const RUNS = Number(process.env.BENCH_SESSIONS ?? 20);
const WORKSPACES = process.env.BENCH_WORKSPACES ?? 'zfs';
const RESTORE_MIB = Number(process.env.BENCH_RESTORE_MIB ?? 1024);
const FINISHED_ROWS = Number(process.env.BENCH_FINISHED_ROWS ?? 993);
const POLL_SECONDS = 20;
const QUEUED = Number(process.env.BENCH_QUEUED ?? 40);
const STORMS = Number(process.env.BENCH_STORMS ?? 5);
/** Phases to leave out (comma-separated: restore, queue, recovery), e.g. for a quick side-by-side run. */
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const ZFS_ROOT = `${process.env.ZFS_POOL ?? 'mfdev'}/medforge/bench-${process.pid}`;

function summary(label, values) {
  return `${label.padEnd(34)} n=${String(values.length).padStart(3)}  p50 ${percentile(values, 50).toFixed(0).padStart(6)} ms  p95 ${percentile(values, 95).toFixed(0).padStart(6)} ms  p99 ${percentile(values, 99).toFixed(0).padStart(6)} ms`;
}

function post(gatewayUrl, cookie, route) {
  return fetch(`${gatewayUrl}${route}`, { method: 'POST', headers: { origin: ORIGIN, cookie } });
}

async function getJson(gatewayUrl, cookie, route) {
  return (await fetch(`${gatewayUrl}${route}`, { headers: { origin: ORIGIN, cookie } })).json();
}

/** zfs-fuse answers "dataset is busy" for a moment after use: a bounded retry. */
async function destroyZfsTree(dataset) {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      execFileSync('zfs', ['destroy', '-r', dataset], { stdio: 'pipe' });
      return;
    } catch (error) {
      if (!/busy/.test(String(error.stderr))) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * A home of RESTORE_MIB random data snapshotted at a stop, the data then removed in a second session
 * (whose stop snapshots the emptied home), and the first snapshot restored: request → DONE.
 */
async function measureRestore(stack, cookie, reached) {
  const run = async (script) => {
    const created = await (await post(stack.gatewayUrl, cookie, '/api/v2/external/sessions')).json();
    await reached(created.data.id, 'RUNNING');
    execFileSync('docker', ['exec', `mf-session-${created.data.slug}`, 'bash', '-c', script]);
    await post(stack.gatewayUrl, cookie, `/api/v2/external/sessions/${created.data.id}/stop`);
    await reached(created.data.id, 'STOPPED');
  };
  await run(`head -c ${RESTORE_MIB}M /dev/urandom > /workspace/weights.bin`);
  const [full] = (await getJson(stack.gatewayUrl, cookie, '/api/v2/me/snapshots')).data;
  await run('rm /workspace/weights.bin');
  const t0 = Date.now();
  const started = await (await post(stack.gatewayUrl, cookie, `/api/v2/me/snapshots/${full.id}/restore`)).json();
  for (;;) {
    const { data } = await getJson(stack.gatewayUrl, cookie, `/api/v2/me/restores/${started.data.id}`);
    if (data.status === 'FAILED') throw new Error(`restore failed: ${data.error_message}`);
    if (data.status === 'DONE') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ms = Date.now() - t0;
  return { ms, mib: Math.round(full.size_bytes / 1024 / 1024) };
}

/**
 * session-runtime killed (as by a crash) and started again, polling every `pollSeconds`: how long its boot
 * reconciliation took, and for `seconds` after it each recovery pass (from its log) and the process's CPU.
 */
async function restartSessionRuntime(stack, pollSeconds, seconds) {
  let bootMs = null;
  const passes = [];
  const port = new URL(stack.env.SESSION_RUNTIME_URL).port;
  const child = await restartService(
    stack,
    'session-runtime',
    port,
    { LOG_LEVEL: 'debug', SESSION_POLL_INTERVAL_SECONDS: String(pollSeconds) },
    (entry) => {
      if (entry.msg === 'boot reconciliation done') bootMs = entry.duration_ms;
      else if (entry.msg === 'session recovery pass' || entry.msg === 'session recovery reconciled') passes.push(entry);
    },
  );
  if (bootMs === null) throw new Error('session-runtime did not finish its boot reconciliation');
  const boot = passes[0];
  const cpuBefore = cpuMs(child.pid);
  const counted = passes.length;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cycles = passes.slice(counted);
  return {
    bootMs,
    active: boot?.active,
    containers: boot?.containers,
    cycles: cycles.length,
    passP50: cycles.length
      ? percentile(
          cycles.map((p) => p.duration_ms),
          50,
        )
      : NaN,
    passMax: cycles.length ? Math.max(...cycles.map((p) => p.duration_ms)) : NaN,
    cpuMs: cpuMs(child.pid) - cpuBefore,
  };
}

/** 40 concurrent creates from 10 users on 7 GPUs through the gateway; every session made is stopped again. */
async function allocationStorm(stack, cookies) {
  const t0 = process.hrtime.bigint();
  const responses = await Promise.all(
    Array.from({ length: 40 }, (_, i) => post(stack.gatewayUrl, cookies[i % 10], '/api/v2/external/sessions')),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const bodies = await Promise.all(responses.map((r) => r.json()));
  const statuses = responses.map((r) => r.status);
  const stops = bodies
    .map((b, i) =>
      b.data ? post(stack.gatewayUrl, cookies[i % 10], `/api/v2/external/sessions/${b.data.id}/stop`) : null,
    )
    .filter(Boolean);
  await Promise.all(stops);
  // The stops finish in the background: the next round needs the GPUs free again.
  await new Promise((resolve) => setTimeout(resolve, 6000));
  return { ms, count: (status) => statuses.filter((s) => s === status).length };
}

/** Every session event as session-runtime publishes it (Redis), first time per session and status. */
async function publishedEvents() {
  const Redis = require('ioredis');
  const raw = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  await raw.subscribe('medforge:session:events');
  const first = new Map();
  raw.on('message', (_c, message) => {
    const event = JSON.parse(message);
    const key = `${event.sessionId}:${event.status}`;
    if (!first.has(key)) first.set(key, Date.parse(event.at));
    if (!first.has(`${event.sessionId}:first`)) first.set(`${event.sessionId}:first`, Date.parse(event.at));
  });
  const at = async (id, status) => {
    for (let i = 0; i < 1200 && !first.has(`${id}:${status}`); i++) await new Promise((r) => setTimeout(r, 50));
    if (!first.has(`${id}:${status}`)) throw new Error(`${id} never reached ${status}`);
    return first.get(`${id}:${status}`);
  };
  return { at, close: () => raw.disconnect() };
}

/**
 * 7 GPUs held by 7 users, QUEUED more users waiting; each holder stops in turn: GPU released → the head
 * RUNNING. Then, with nobody waiting, 7 starts on the idle host: first event → RUNNING.
 */
async function measureQueue(stack) {
  const events = await publishedEvents();
  const start = async (cookie, body = {}) => {
    const response = await fetch(`${stack.gatewayUrl}/api/v2/external/sessions`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const created = await response.json();
    if (!created.data) throw new Error(JSON.stringify(created));
    return created.data;
  };
  try {
    const holders = [];
    for (let i = 0; i < 7; i++) {
      const { cookie } = await signUp(stack.gatewayUrl, `holder${i}`);
      holders.push({ cookie, session: await start(cookie) });
    }
    for (const h of holders) await events.at(h.session.id, 'running');
    const waiting = [];
    for (let i = 0; i < QUEUED; i++) {
      const { cookie } = await signUp(stack.gatewayUrl, `waiter${i}`);
      const session = await start(cookie, { wait_for_gpu: true });
      if (session.status !== 'QUEUED') throw new Error(`waiter ${i} did not queue: ${JSON.stringify(session)}`);
      waiting.push({ cookie, session });
    }
    const promotions = [];
    for (const [i, holder] of holders.entries()) {
      await post(stack.gatewayUrl, holder.cookie, `/api/v2/external/sessions/${holder.session.id}/stop`);
      const released = await events.at(holder.session.id, 'stopped');
      promotions.push((await events.at(waiting[i].session.id, 'running')) - released);
    }
    await Promise.all(
      waiting.map((w) => post(stack.gatewayUrl, w.cookie, `/api/v2/external/sessions/${w.session.id}/stop`)),
    );
    for (const w of waiting.slice(0, holders.length)) await events.at(w.session.id, 'stopped');
    const idleStarts = [];
    for (const holder of holders) {
      const session = await start(holder.cookie);
      const running = await events.at(session.id, 'running');
      idleStarts.push(running - (await events.at(session.id, 'first')));
      await post(stack.gatewayUrl, holder.cookie, `/api/v2/external/sessions/${session.id}/stop`);
      await events.at(session.id, 'stopped');
    }
    return { promotions, idleStarts };
  } finally {
    events.close();
  }
}

/**
 * 7 running sessions; session-runtime restarted with the recovery poll every second, first with the few
 * rows the earlier phases left, then with FINISHED_ROWS more finished rows, then once more polling
 * hourly (the process's CPU without polls, to take out of the per-cycle figure).
 */
async function measureRecovery(stack, cookies) {
  const knex = benchDatabase(stack, 'SESSION_DB_NAME');
  try {
    const ids = [];
    for (let i = 0; i < 7; i++) {
      const created = await (await post(stack.gatewayUrl, cookies[i], '/api/v2/external/sessions')).json();
      if (!created.data) throw new Error(JSON.stringify(created));
      ids.push(created.data.id);
    }
    const runningCount = async () => (await knex('sessions').whereIn('id', ids).where({ status: 'running' })).length;
    for (let i = 0; i < 600 && (await runningCount()) < 7; i++) await new Promise((r) => setTimeout(r, 200));
    if ((await runningCount()) < 7) throw new Error('the 7 sessions did not all start');
    const rowCount = async () => Number((await knex('sessions').count({ n: '*' }))[0].n);

    const few = { rows: await rowCount(), ...(await restartSessionRuntime(stack, 1, POLL_SECONDS)) };
    const template = await knex('sessions').where({ status: 'stopped' }).first();
    // The generated columns are MariaDB's to fill.
    const columns = { ...template };
    delete columns.gpu_active;
    delete columns.ssh_port_active;
    const rows = Array.from({ length: FINISHED_ROWS }, () => ({
      ...columns,
      id: randomUUID(),
      slug: randomUUID().replace(/-/g, '').slice(0, 8),
    }));
    for (let i = 0; i < rows.length; i += 200) await knex('sessions').insert(rows.slice(i, i + 200));
    const many = { rows: await rowCount(), ...(await restartSessionRuntime(stack, 1, POLL_SECONDS)) };
    const idle = await restartSessionRuntime(stack, 3600, POLL_SECONDS);
    const stillRunning = await runningCount();
    await Promise.all(ids.map((id, i) => post(stack.gatewayUrl, cookies[i], `/api/v2/external/sessions/${id}/stop`)));
    return { few, many, idleCpuMs: idle.cpuMs, stillRunning };
  } finally {
    await knex.destroy();
  }
}

async function main() {
  const image = execFileSync('bash', [path.join(root, 'ops/packs/dev/build.sh')], { encoding: 'utf8' }).trim();
  const workspaces =
    WORKSPACES === 'zfs'
      ? { WORKSPACE_BACKEND: 'zfs', ZFS_WORKSPACE_ROOT: ZFS_ROOT, WORKSPACE_QUOTA_GIB: '4' }
      : { WORKSPACE_BACKEND: 'directory', WORKSPACE_DIRECTORY_ROOT: `/tmp/medforge-bench-workspaces-${process.pid}` };
  const stack = await startBenchStack(4400, {
    MEDFORGE_DEFAULT_PACK_IMAGE: image,
    ...workspaces,
    SESSION_STOP_GRACE_SECONDS: '2',
    SESSIONS_MAX_ACTIVE_PER_USER: '2',
  });
  const clients = [];
  try {
    const { cookie } = await signUp(stack.gatewayUrl, 'bench');
    class CookieSocket extends NodeWebSocket {
      constructor(address, protocols) {
        super(address, protocols, { headers: { cookie, origin: ORIGIN } });
      }
    }
    const ws = createClient({ url: `${stack.gatewayUrl.replace('http', 'ws')}/graphql`, webSocketImpl: CookieSocket });
    clients.push(ws);
    const waiters = new Map();
    const eventLatencies = [];
    ws.subscribe(
      { query: 'subscription { sessionUpdated { id status user { displayName } pack { name } } }' },
      {
        next: ({ data, errors }) => {
          if (errors) throw new Error(JSON.stringify(errors));
          const event = data.sessionUpdated;
          const waiter = waiters.get(`${event.id}:${event.status}`);
          if (waiter) waiter(Date.now());
        },
        error: (error) => console.error('subscription error', error),
        complete: () => undefined,
      },
    );
    // Event latency: publish time is in the event itself; measure it on a raw Redis listener too.
    const Redis = require('ioredis');
    const raw = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
    await raw.subscribe('medforge:session:events');
    const publishedAt = new Map();
    raw.on('message', (_c, message) => {
      const event = JSON.parse(message);
      publishedAt.set(`${event.sessionId}:${event.status.toUpperCase()}`, Date.parse(event.at));
    });
    const reached = (id, status) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${id} never reached ${status}`)), 120_000);
        waiters.set(`${id}:${status}`, (at) => {
          clearTimeout(timer);
          const published = publishedAt.get(`${id}:${status}`);
          if (published) eventLatencies.push(at - published);
          resolve(at);
        });
      });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const startLatencies = [];
    const stopLatencies = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      const created = await (await post(stack.gatewayUrl, cookie, '/api/v2/external/sessions')).json();
      if (!created.data) throw new Error(JSON.stringify(created));
      const running = await reached(created.data.id, 'RUNNING');
      startLatencies.push(running - t0);
      const t1 = Date.now();
      await post(stack.gatewayUrl, cookie, `/api/v2/external/sessions/${created.data.id}/stop`);
      const stopped = await reached(created.data.id, 'STOPPED');
      stopLatencies.push(stopped - t1);
    }
    raw.disconnect();
    const restore = WORKSPACES === 'zfs' && !SKIP.has('restore') ? await measureRestore(stack, cookie, reached) : null;

    // Allocation storm through the gateway: 10 users, 40 concurrent creates, 7 virtual GPUs.
    const cookies = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => (await signUp(stack.gatewayUrl, `storm${i}`)).cookie),
    );
    const storms = [];
    for (let round = 0; round < STORMS; round++) storms.push(await allocationStorm(stack, cookies));

    console.log(
      `session lifecycle, ${RUNS} sessions, dev pack (code-server ${image.slice(7, 19)}), ${WORKSPACES} homes`,
    );
    console.log(summary('create → RUNNING (subscriber)', startLatencies));
    console.log(summary('stop → STOPPED (subscriber)', stopLatencies));
    console.log(summary('event published → subscriber', eventLatencies) + '   (target p99 < 100 ms)');
    for (const storm of storms) {
      console.log(
        `allocation storm: 40 concurrent creates in ${storm.ms.toFixed(0)} ms = ${((40 / storm.ms) * 1000).toFixed(0)} req/s; ` +
          `${storm.count(201)} created (7 GPUs), ${storm.count(503)} full, ${storm.count(409)} over the per-user limit`,
      );
    }
    const stormMs = percentile(
      storms.map((storm) => storm.ms),
      50,
    );
    console.log(
      `allocation storm, median of ${STORMS}: ${stormMs.toFixed(0)} ms = ${((40 / stormMs) * 1000).toFixed(0)} req/s`,
    );
    if (restore) console.log(`restore of a ${restore.mib} MiB home snapshot: ${restore.ms} ms (request → DONE)`);
    if (!SKIP.has('queue')) {
      const queue = await measureQueue(stack);
      console.log(
        `the GPU queue: 7 GPUs held, ${QUEUED} waiting, released one by one (target: within 100 ms of an idle start)`,
      );
      console.log(summary('GPU released → head RUNNING', queue.promotions));
      console.log(summary('idle host: start → RUNNING', queue.idleStarts));
      console.log(
        `  difference of medians: ${(percentile(queue.promotions, 50) - percentile(queue.idleStarts, 50)).toFixed(0)} ms`,
      );
    }

    if (SKIP.has('recovery')) return;
    const recovery = await measureRecovery(stack, cookies);
    console.log(
      `recovery, 7 running sessions, session-runtime killed and restarted, polling every second for ${POLL_SECONDS} s ` +
        `(target: reconcile < 5 s); ${recovery.stillRunning}/7 still RUNNING after three restarts:`,
    );
    for (const r of [recovery.few, recovery.many]) {
      console.log(
        `  ${String(r.rows).padStart(5)} session rows: boot reconciliation ${r.bootMs} ms (${r.active} active rows, ${r.containers} containers); ` +
          `${r.cycles} polls, p50 ${r.passP50} ms, max ${r.passMax} ms; ` +
          `${((r.cpuMs - recovery.idleCpuMs) / r.cycles).toFixed(1)} ms of session-runtime CPU per poll (beyond ${recovery.idleCpuMs.toFixed(0)} ms idle)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5000)); // let those stops finish
  } finally {
    for (const client of clients) await client.dispose();
    await stack.stop();
    if (WORKSPACES === 'zfs') await destroyZfsTree(ZFS_ROOT);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
