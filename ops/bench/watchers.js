// Benchmark: live updates with many watchers. For each count in BENCH_WATCHERS (default 1000,5000), real
// graphql-ws clients connect to the gateway: 80 % anonymous watchers of the Titanic leaderboard, 15 %
// signed-in users watching their submissions and sessions (two subscriptions on one socket), the rest
// administrators watching every submission. Then submitters upload valid files at BENCH_SCORE_RATE per
// second (default 0.5) for BENCH_SECONDS (30) and the real scoring worker scores them. Printed per count:
// event (SCORED published on Redis) → payload at the client, p50/p99, and how many deliveries arrived
// within BENCH_DRAIN_SECONDS (60) after the last upload; requests the competition subgraph answered per
// scored event (a counting proxy sits between the gateway and it); the gateway's memory per idle
// connection and CPU during the run. Then the same BENCH_REPLICA_WATCHERS (5000) through Caddy, first to
// one gateway, then to two replicas balanced by open connections: fan-out throughput (deliveries per
// second from a scored event to its last delivery) and the ratio of the two.
// Run: npm run bench:watchers (builds first).
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { createClient } = require('graphql-ws');
const Redis = require('ioredis');
const { WebSocket: NodeWebSocket } = require('ws');

const { startCaddy } = require('./lib/caddy');
const { passThroughProxy } = require('./lib/pass-through-proxy');
const { ORIGIN, cpuMs, generateCompetitionData, percentile, rssKiB, signUp } = require('./lib/platform');
const { benchDatabase, root, startBenchStack, waitForHealth } = require('./lib/stack');

const COUNTS = (process.env.BENCH_WATCHERS ?? '1000,5000').split(',').map(Number);
const RATE = Number(process.env.BENCH_SCORE_RATE ?? 0.5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);
const SIGNED_IN_ACCOUNTS = 50;
const SUBMITTERS = 10; // each may submit 10 files a day per competition: enough for the default runs
const BASE_PORT = 4700;
const REPLICA_WATCHERS = Number(process.env.BENCH_REPLICA_WATCHERS ?? 5000);
const CADDY_PORT = BASE_PORT + 30;

const LEADERBOARD = `subscription { leaderboardUpdated(competitionSlug: "titanic-survival") {
  slug leaderboard(limit: 10) { totalEntries entries { rank score user { displayName } } } } }`;
const SUBMISSIONS = 'subscription { submissionUpdated { id status primaryScore competition { slug } } }';
const SESSIONS = 'subscription { sessionUpdated { id status } }';

function wsClient(gatewayUrl, cookie) {
  const headers = { origin: ORIGIN, ...(cookie ? { cookie } : {}) };
  class Socket extends NodeWebSocket {
    constructor(address, protocols) {
      super(address, protocols, { headers });
    }
  }
  return createClient({
    url: `${gatewayUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: Socket,
    lazy: false,
    retryAttempts: 0,
  });
}

/** `target`: where the watchers connect (a gateway, or Caddy before replicas) and the gateways' pids. */
async function runWith(count, target, stack, proxy, accounts, admin, titanicCsv, redisUrl) {
  const sum = (measure) => target.pids.reduce((total, pid) => total + measure(pid), 0);
  const rssBefore = sum(rssKiB);
  const published = new Map(); // `${submissionId}:${STATUS}` → publish time; 'titanic' → [times of SCORED]
  const scoredTimes = [];
  const raw = new Redis(redisUrl);
  await raw.subscribe('medforge:submission:events');
  raw.on('message', (_channel, message) => {
    const event = JSON.parse(message);
    const at = Date.parse(event.at);
    published.set(`${event.submissionId}:${event.status.toUpperCase()}`, at);
    if (event.status === 'scored') scoredTimes.push(at);
  });
  const latencies = [];
  const fanOut = new Map(); // scored event time → { deliveries, last: latest latency }
  let deliveries = 0;
  let errors = 0;
  const clients = [];
  const subscribe = (client, query, onData) =>
    client.subscribe(
      { query },
      {
        next: ({ data, errors: errs }) => {
          if (errs) errors += 1;
          else onData(data, Date.now());
        },
        error: () => (errors += 1),
        complete: () => undefined,
      },
    );
  const anonymous = Math.round(count * 0.8);
  const admins = Math.max(1, Math.round(count * 0.01));
  const signedIn = count - anonymous - admins;
  const watchersOf = new Map(); // account index → its signed-in watchers
  for (let i = 0; i < count; i++) {
    const kind = i < anonymous ? 'anonymous' : i < anonymous + signedIn ? 'user' : 'admin';
    if (kind === 'user') watchersOf.set(i % accounts.length, (watchersOf.get(i % accounts.length) ?? 0) + 1);
    const cookie = kind === 'anonymous' ? null : kind === 'admin' ? admin.cookie : accounts[i % accounts.length].cookie;
    const client = wsClient(target.url, cookie);
    clients.push(client);
    if (kind === 'anonymous') {
      subscribe(client, LEADERBOARD, (_data, now) => {
        deliveries += 1;
        const last = scoredTimes.filter((t) => t <= now).at(-1);
        if (last === undefined) return;
        latencies.push(now - last);
        const event = fanOut.get(last) ?? { deliveries: 0, last: 0 };
        fanOut.set(last, { deliveries: event.deliveries + 1, last: Math.max(event.last, now - last) });
      });
    } else {
      subscribe(client, SUBMISSIONS, (data, now) => {
        deliveries += 1;
        const at = published.get(`${data.submissionUpdated.id}:${data.submissionUpdated.status}`);
        if (at !== undefined) latencies.push(now - at);
      });
      if (kind === 'user') subscribe(client, SESSIONS, () => undefined);
    }
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 5000)); // every socket open and subscribed
  const rssIdle = sum(rssKiB);

  const requestsBefore = proxy.counter.requests;
  const cpuBefore = sum(cpuMs);
  const interval = 1000 / RATE;
  const uploads = Math.floor(SECONDS * RATE);
  let uploaded = 0;
  // Each upload is QUEUED, SCORING, SCORED for its owner's watchers and the admins; each SCORED moves the
  // leaderboard for every anonymous watcher.
  let ownerDeliveries = 0;
  for (let n = 0; n < uploads; n++) {
    const submitter = accounts[n % SUBMITTERS];
    ownerDeliveries += 3 * (watchersOf.get(n % SUBMITTERS) ?? 0);
    const form = new FormData();
    form.append('file', new Blob([titanicCsv(n)]), 'predictions.csv');
    const response = await fetch(`${stack.gatewayUrl}/api/v2/competitions/titanic-survival/submissions`, {
      method: 'POST',
      headers: { cookie: submitter.cookie, origin: ORIGIN },
      body: form,
    });
    if (response.status === 201) uploaded += 1;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  // Drain: until every expected delivery arrived, or the drain time is up.
  const expected = () => anonymous * scoredTimes.length + admins * uploaded * 3 + ownerDeliveries;
  const drainUntil = Date.now() + DRAIN_SECONDS * 1000;
  while (Date.now() < drainUntil && deliveries < expected()) await new Promise((resolve) => setTimeout(resolve, 500));
  const cpu = sum(cpuMs) - cpuBefore;
  const requests = proxy.counter.requests - requestsBefore;
  for (const client of clients) await client.dispose();
  raw.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return {
    count,
    uploaded,
    scored: scoredTimes.length,
    deliveries,
    expected: Math.round(expected()),
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requestsPerScored: scoredTimes.length ? requests / scoredTimes.length : NaN,
    kibPerConnection: (rssIdle - rssBefore) / count,
    cpuMs: cpu,
    fanOutPerSecond:
      [...fanOut.values()].reduce((n, e) => n + e.deliveries, 0) /
      ([...fanOut.values()].reduce((ms, e) => ms + e.last, 0) / 1000),
  };
}

async function main() {
  const data = await generateCompetitionData();
  const { titanic } = data;
  const ids = [...titanic.truth.labels.keys()];
  // Files that differ, so the leaderboard moves: the n-th flips a different share of the right labels.
  const titanicCsv = (n) =>
    `PassengerId,Survived\n${ids.map((id, i) => `${id},${(i + n) % 7 === 0 ? 1 - Number(titanic.truth.labels.get(id)) : titanic.truth.labels.get(id)}`).join('\n')}\n`;
  const proxyPort = BASE_PORT + 13;
  // Counts the requests the competition subgraph answers.
  const proxy = await passThroughProxy(proxyPort, BASE_PORT + 3);
  const stack = await startBenchStack(BASE_PORT, {
    COMPETITION_URL: `http://127.0.0.1:${proxyPort}/graphql`,
    SUBMISSIONS_DIR: mkdtempSync(path.join(os.tmpdir(), 'mf-bench-submissions-')),
    SCORING_QUEUE_NAME: `bench-watchers-${process.pid}`,
    ...data.env,
  });
  const worker = spawn(process.execPath, [path.join(root, 'subgraphs/competition/dist/worker/main.js')], {
    env: { ...stack.env, LOG_LEVEL: 'warn', SCORING_SWEEP_INTERVAL_SECONDS: '60' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const knex = benchDatabase(stack, 'IDENTITY_DB_NAME');
  try {
    const accounts = [];
    for (let i = 0; i < SIGNED_IN_ACCOUNTS; i++) accounts.push(await signUp(stack.gatewayUrl, `watcher-${i}`));
    const adminAccount = await signUp(stack.gatewayUrl, 'watcher-admin');
    await knex('users').where({ id: adminAccount.id }).update({ role: 'admin' });
    const admin = { cookie: adminAccount.cookie };
    const results = [];
    const redisUrl = stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
    const gatewayPid = stack.children.find((child) => child.name === 'gateway').pid;
    const direct = { url: stack.gatewayUrl, pids: [gatewayPid] };
    for (const count of COUNTS) {
      results.push(await runWith(count, direct, stack, proxy, accounts, admin, titanicCsv, redisUrl));
    }
    // Replicas: Caddy in front of one gateway, then of two (the second started like the first).
    const replicas = [];
    if (REPLICA_WATCHERS > 0) {
      const secondPort = BASE_PORT + 20;
      const second = spawn(process.execPath, [path.join(root, 'gateway/dist/main.js')], {
        env: { ...stack.env, GATEWAY_PORT: String(secondPort) },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      second.name = 'gateway-2';
      stack.children.push(second);
      await waitForHealth(`http://127.0.0.1:${secondPort}/healthz`, 60_000);
      for (const upstreams of [[BASE_PORT], [BASE_PORT, secondPort]]) {
        const caddy = startCaddy(`http://127.0.0.1:${CADDY_PORT} {
	reverse_proxy ${upstreams.map((port) => `127.0.0.1:${port}`).join(' ')} {
		lb_policy least_conn
	}
}
`);
        try {
          await waitForHealth(`http://127.0.0.1:${CADDY_PORT}/healthz`, 15_000);
          const target = {
            url: `http://127.0.0.1:${CADDY_PORT}`,
            pids: upstreams.length === 1 ? [gatewayPid] : [gatewayPid, second.pid],
          };
          const result = await runWith(REPLICA_WATCHERS, target, stack, proxy, accounts, admin, titanicCsv, redisUrl);
          replicas.push({ ...result, replicas: upstreams.length });
        } finally {
          await caddy.stop();
        }
      }
    }
    console.log(`watchers: ${RATE} scored submissions/s for ${SECONDS} s, drain up to ${DRAIN_SECONDS} s`);
    for (const r of results) {
      console.log(
        `  ${String(r.count).padStart(5)} watchers: ${r.scored} scored, ${r.deliveries}/${r.expected} deliveries (${r.errors} errors); ` +
          `event → client p50 ${r.p50} ms, p99 ${r.p99} ms; competition subgraph requests per scored event ${r.requestsPerScored.toFixed(0)}; ` +
          `gateway ${r.kibPerConnection.toFixed(1)} KiB per idle connection, ${(r.cpuMs / 1000).toFixed(1)} s CPU during the run`,
      );
    }
    if (replicas.length === 2) {
      console.log(`through Caddy, ${REPLICA_WATCHERS} watchers:`);
      for (const r of replicas) {
        console.log(
          `  ${r.replicas} gateway${r.replicas === 1 ? '' : 's'}: ${r.deliveries}/${r.expected} deliveries (${r.errors} errors); ` +
            `p50 ${r.p50} ms, p99 ${r.p99} ms; fan-out ${r.fanOutPerSecond.toFixed(0)} deliveries/s; ` +
            `${(r.cpuMs / 1000).toFixed(1)} s gateway CPU`,
        );
      }
      console.log(
        `  throughput ratio, two replicas to one: ${(replicas[1].fanOutPerSecond / replicas[0].fanOutPerSecond).toFixed(2)}`,
      );
    }
  } finally {
    await knex.destroy();
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    await stack.stop();
    proxy.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
