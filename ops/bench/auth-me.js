// Benchmark: authenticated `me` through the gateway versus the same query sent straight to the
// identity subgraph with a signed context. Target: the gateway adds under 1.5x (latency at p50, and
// throughput). Run: npm run bench:auth-me (builds first). Prints one table and the ratios.
const { CONTEXT_HEADER, signContext } = require('@medforge/shared-schema');

const { measure, row } = require('./lib/load');
const { startBenchStack } = require('./lib/stack');

const ORIGIN = 'http://medforge.localhost:8080';
const QUERY = JSON.stringify({ query: '{ me { id email displayName role canUseInternal } }' });

async function main() {
  const duration = Number(process.env.BENCH_SECONDS ?? 10);
  const stack = await startBenchStack();
  try {
    const signup = await fetch(`${stack.gatewayUrl}/api/v2/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email: `bench-${Date.now()}@example.org`, password: 'benchmark password' }),
    });
    if (signup.status !== 201) throw new Error(`sign-up failed: ${await signup.text()}`);
    const cookie = signup.headers.get('set-cookie').split(';')[0];
    const user = (await signup.json()).data.user;

    const viaGateway = () =>
      measure({
        url: `${stack.gatewayUrl}/graphql`,
        body: QUERY,
        headers: { 'content-type': 'application/json', cookie },
        duration,
      });
    // A signed context stays valid for CONTEXT_MAX_AGE_MS (30 s), longer than one run.
    const direct = () =>
      measure({
        url: stack.identityUrl,
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

    await measure({
      url: `${stack.gatewayUrl}/graphql`,
      body: QUERY,
      headers: { 'content-type': 'application/json', cookie },
      duration: 2,
    });
    const identity = await direct();
    const gateway = await viaGateway();
    console.log(`authenticated me, ${duration}s per run, 16 connections, ${require('node:os').cpus().length} CPUs`);
    console.log(row('identity subgraph (direct)', identity));
    console.log(row('gateway (cookie → federated)', gateway));
    const latencyRatio = gateway.p50Ms / Math.max(identity.p50Ms, 1);
    const throughputRatio = identity.requestsPerSecond / gateway.requestsPerSecond;
    console.log(`gateway/direct p50 latency ratio: ${latencyRatio.toFixed(2)}x (target < 1.5x)`);
    console.log(`direct/gateway throughput ratio: ${throughputRatio.toFixed(2)}x (target < 1.5x)`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
