// Benchmark: requests to a running session through Caddy with the gateway's forward auth (the
// production route: deploy/caddy/session-routing.caddy) versus the same Caddy proxying straight to the
// same container without auth, alternating runs in one process. Targets: at least 0.8 of the
// unauthenticated throughput, under 1 ms added at p50. Run: npm run bench:session-proxy (builds first).
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const { measureGet, row } = require('./lib/http-load');
const { startCaddy: startBenchCaddy } = require('./lib/caddy');
const { root, startBenchStack } = require('./lib/stack');

const ORIGIN = 'http://medforge.localhost:8080';
const GATEWAY_PORT = 4500;
const CADDY_PORT = Number(process.env.BENCH_CADDY_PORT ?? 18480);
const REQUEST_PATH = '/healthz'; // code-server's own small JSON answer

async function until(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function startCaddy(upstream) {
  return startBenchCaddy(`http://*.external.medforge.localhost:${CADDY_PORT} {
	bind 127.0.0.1
	import ${path.join(root, 'deploy/caddy/session-routing.caddy')} 127.0.0.1:${GATEWAY_PORT} mf_session
}
http://direct.medforge.localhost:${CADDY_PORT} {
	bind 127.0.0.1
	reverse_proxy ${upstream}
}
`);
}

async function main() {
  const duration = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
  const image = execFileSync('bash', [path.join(root, 'ops/packs/dev/build.sh')], { encoding: 'utf8' }).trim();
  const stack = await startBenchStack(GATEWAY_PORT, {
    MEDFORGE_DEFAULT_PACK_IMAGE: image,
    WORKSPACE_BACKEND: 'directory',
    WORKSPACE_DIRECTORY_ROOT: `/tmp/medforge-bench-workspaces-${process.pid}`,
    SESSION_UPSTREAM_ADDRESSING: 'container-ip',
    SESSION_STOP_GRACE_SECONDS: '1',
  });
  let caddy;
  try {
    const signup = await fetch(`${stack.gatewayUrl}/api/v2/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email: `bench-proxy-${Date.now()}@example.org`, password: 'benchmark password' }),
    });
    if (signup.status !== 201) throw new Error(`sign-up failed: ${await signup.text()}`);
    const cookie = signup.headers.get('set-cookie').split(';')[0];
    const created = await fetch(`${stack.gatewayUrl}/api/v2/external/sessions`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie },
    }).then((r) => r.json());
    const { id, slug } = created.data;
    const session = () =>
      fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ query: `{ session(id: "${id}") { status } }` }),
      }).then((r) => r.json());
    await until('session RUNNING', 120_000, async () =>
      (await session()).data.session.status === 'RUNNING' ? true : undefined,
    );
    const ip = execFileSync('docker', [
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      `mf-session-${slug}`,
    ])
      .toString()
      .trim();
    caddy = startCaddy(`${ip}:8080`);

    const host = `s-${slug}.external.medforge.localhost:${CADDY_PORT}`;
    const paths = {
      direct: { port: CADDY_PORT, host: `direct.medforge.localhost:${CADDY_PORT}`, path: REQUEST_PATH },
      auth: { port: CADDY_PORT, host, path: REQUEST_PATH, headers: { cookie } },
      // The forward-auth answer alone, as Caddy asks it: where the added time goes.
      endpoint: { port: GATEWAY_PORT, host, path: '/api/v2/auth/session-proxy', headers: { cookie } },
    };
    await until('Caddy', 15_000, async () => ((await measureGet({ ...paths.auth, duration: 1 })) ? true : undefined));
    for (const target of Object.values(paths)) await measureGet({ ...target, duration: 2, connections }); // warm-up

    const mean = (runs, key) => runs.reduce((sum, r) => sum + r[key], 0) / runs.length;
    const summary = (runs) => ({
      requestsPerSecond: mean(runs, 'requestsPerSecond'),
      p50Ms: mean(runs, 'p50Ms'),
      p99Ms: mean(runs, 'p99Ms'),
    });
    console.log(`GET ${REQUEST_PATH} on code-server, ${duration}s x 2 alternating runs, ${os.cpus().length} CPUs`);
    // Saturating load shows the throughput cost; one connection shows the latency a user adds.
    for (const load of [connections, 1]) {
      const runs = { direct: [], auth: [], endpoint: [] };
      for (let round = 0; round < 2; round++) {
        for (const [name, target] of Object.entries(paths)) {
          runs[name].push(await measureGet({ ...target, duration, connections: load }));
        }
      }
      const [d, a, e] = [summary(runs.direct), summary(runs.auth), summary(runs.endpoint)];
      console.log(`\n${load} connection${load === 1 ? '' : 's'}:`);
      console.log(row('Caddy → container (no auth)', d));
      console.log(row('Caddy + forward auth → container', a));
      console.log(row('gateway forward-auth endpoint alone', e));
      console.log(
        `throughput ratio ${(a.requestsPerSecond / d.requestsPerSecond).toFixed(2)} (target ≥ 0.80)   ` +
          `p50 added ${(a.p50Ms - d.p50Ms).toFixed(2)} ms (target < 1 ms)`,
      );
    }

    await fetch(`${stack.gatewayUrl}/api/v2/external/sessions/${id}/stop`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie },
    });
    await until('session STOPPED', 60_000, async () =>
      (await session()).data.session.status === 'STOPPED' ? true : undefined,
    );
  } finally {
    await caddy?.stop();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
