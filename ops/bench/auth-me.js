// Benchmark: authenticated `me` through the gateway versus the same query sent straight to the
// identity subgraph with a signed context, in BENCH_ROUNDS (3) alternating rounds; beside them the same
// signed request through a plain Node.js pass-through proxy (node:http server, keep-alive client, no
// GraphQL): the floor of any gateway written in Node. Printed per round: throughput, latency and CPU
// per request (the gateway's or proxy's own, and identity's); then the median ratios.
// Target: the gateway adds at most 1.3x (latency at p50, and throughput). CPU per request is the steadier
// figure on a small machine, where the load generator, the gateway, identity and MariaDB share the cores.
// Run: npm run bench:auth-me (builds first).
const { spawn } = require('node:child_process');
const path = require('node:path');

const { CONTEXT_HEADER, signContext } = require('@medforge/shared-schema');

const { measure, row } = require('./lib/load');
const { cpuMs } = require('./lib/platform');
const { startBenchStack } = require('./lib/stack');

const ORIGIN = 'http://medforge.localhost:8080';
const QUERY = JSON.stringify({ query: '{ me { id email displayName role canUseInternal } }' });
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROXY_SCRIPT = path.join(__dirname, 'lib/pass-through-proxy.js');

/** lib/pass-through-proxy.js in a child process of its own (so its CPU is measured apart from the load). */
function startPassThroughProxy(port, targetPort) {
  const child = spawn(process.execPath, [PROXY_SCRIPT, String(port), String(targetPort)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve) => child.once('message', () => resolve(child)));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A run, and the CPU each named process spent per request during it (µs). */
async function measureWithCpu(run, pids) {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const result = await run();
  const cpuPerRequest = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, ((cpuMs(pid) - before[name]) * 1000) / result.total]),
  );
  return { ...result, cpuPerRequest };
}

const cpuText = (m) =>
  Object.entries(m.cpuPerRequest)
    .map(([name, us]) => `${name} ${us.toFixed(0)} µs`)
    .join(', ');

async function main() {
  const duration = Number(process.env.BENCH_SECONDS ?? 10);
  const stack = await startBenchStack();
  const pidOf = (name) => stack.children.find((child) => child.name === name).pid;
  try {
    const signup = await fetch(`${stack.gatewayUrl}/api/v2/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email: `bench-${Date.now()}@example.org`, password: 'benchmark password' }),
    });
    if (signup.status !== 201) throw new Error(`sign-up failed: ${await signup.text()}`);
    const cookie = signup.headers.get('set-cookie').split(';')[0];
    const user = (await signup.json()).data.user;

    const viaGateway = (seconds) =>
      measure({
        url: `${stack.gatewayUrl}/graphql`,
        body: QUERY,
        headers: { 'content-type': 'application/json', cookie },
        duration: seconds,
      });
    // A signed context stays valid for CONTEXT_MAX_AGE_MS (30 s): signed afresh for every run.
    const signed = (url) => () =>
      measure({
        url,
        body: QUERY,
        duration,
        headers: {
          'content-type': 'application/json',
          [CONTEXT_HEADER]: signContext(
            {
              requestId: 'bench',
              actor: { userId: user.id, role: 'user', canUseInternal: false },
              issuedAt: Date.now(),
            },
            stack.secret,
          ),
        },
      });

    const direct = signed(stack.identityUrl);
    const proxyPort = Number(new URL(stack.gatewayUrl).port) + 50;
    const proxy = await startPassThroughProxy(proxyPort, Number(new URL(stack.identityUrl).port));
    const viaProxy = signed(`http://127.0.0.1:${proxyPort}/graphql`);
    await viaGateway(2); // warm-up: JIT, query plan, cookie cache
    console.log(`authenticated me, ${duration}s per run, 16 connections, ${require('node:os').cpus().length} CPUs`);
    const latencyRatios = [];
    const throughputRatios = [];
    const gatewayCpu = [];
    const floorRatios = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const identity = await measureWithCpu(direct, { identity: pidOf('identity') });
      const gateway = await measureWithCpu(() => viaGateway(duration), {
        gateway: pidOf('gateway'),
        identity: pidOf('identity'),
      });
      const passThrough = await measureWithCpu(viaProxy, { proxy: proxy.pid, identity: pidOf('identity') });
      console.log(`round ${round}`);
      console.log(`  ${row('identity subgraph (direct)', identity)}   CPU per request: ${cpuText(identity)}`);
      console.log(`  ${row('gateway (cookie → federated)', gateway)}   CPU per request: ${cpuText(gateway)}`);
      console.log(`  ${row('plain Node proxy (floor)', passThrough)}   CPU per request: ${cpuText(passThrough)}`);
      floorRatios.push(identity.requestsPerSecond / passThrough.requestsPerSecond);
      latencyRatios.push(gateway.p50Ms / Math.max(identity.p50Ms, 1));
      throughputRatios.push(identity.requestsPerSecond / gateway.requestsPerSecond);
      gatewayCpu.push(gateway.cpuPerRequest.gateway);
    }
    const list = (values) => values.map((v) => v.toFixed(2)).join(' / ');
    console.log(
      `gateway/direct p50 latency ratio: ${list(latencyRatios)}, median ${median(latencyRatios).toFixed(2)}x (target ≤ 1.3x)`,
    );
    console.log(
      `direct/gateway throughput ratio: ${list(throughputRatios)}, median ${median(throughputRatios).toFixed(2)}x (target ≤ 1.3x)`,
    );
    console.log(
      `direct/plain proxy throughput ratio (the floor): ${list(floorRatios)}, median ${median(floorRatios).toFixed(2)}x`,
    );
    console.log(`gateway CPU per request, median: ${median(gatewayCpu).toFixed(0)} µs`);
    proxy.kill('SIGTERM');
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
