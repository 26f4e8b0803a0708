// Benchmark: requests to a running session through Caddy with the gateway's forward auth (the
// production route: deploy/caddy/session-routing.caddy) versus the same Caddy proxying straight to the
// same container without auth, alternating runs in one process. Targets: at least 0.8 of the
// unauthenticated throughput, under 1 ms added at p50. Then what users feel, each against Caddy
// straight to the container: a websocket round trip through code-server's port proxy to an echo server in
// the session (forward auth happens once, at the upgrade), and the workbench's full first load in Chromium
// (every asset, cold cache). Run: npm run bench:session-proxy (builds first).
const { execFileSync } = require('node:child_process');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { chromium } = require('playwright-core');
const { WebSocket: NodeWebSocket } = require('ws');

const { measureGet, row } = require('./lib/http-load');
const { startCaddy: startBenchCaddy } = require('./lib/caddy');
const { root, startBenchStack } = require('./lib/stack');

const ORIGIN = 'http://medforge.localhost:8080';
const GATEWAY_PORT = 4500;
const CADDY_PORT = Number(process.env.BENCH_CADDY_PORT ?? 18480);
const ECHO_PORT = 9000;
// Forward auth answered by Caddy itself, instantly (a static 200 with X-Upstream): what the forward-auth
// exchange costs with no gateway behind it, the floor any authorisation service could reach.
const STATIC_AUTH_PORT = CADDY_PORT + 1;
const FLOOR_PORT = CADDY_PORT + 2;
const RTT_MESSAGES = Number(process.env.BENCH_WS_MESSAGES ?? 2000);
const FIRST_LOADS = Number(process.env.BENCH_FIRST_LOADS ?? 7);
// A websocket echo server with nothing but Node (the pack has no ws module): the handshake and unmasking
// of the small text frames the benchmark sends.
const ECHO_SERVER = `
const http = require('node:http');
const { createHash } = require('node:crypto');
http.createServer().on('upgrade', (req, socket) => {
  const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
  socket.setNoDelay(true);
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 6) {
      const length = buffered[1] & 0x7f;
      if (buffered.length < 6 + length) break;
      const mask = buffered.subarray(2, 6);
      const payload = Buffer.from(buffered.subarray(6, 6 + length));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
      if ((buffered[0] & 0x0f) === 8) return socket.end();
      socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
      buffered = buffered.subarray(6 + length);
    }
  });
}).listen(${ECHO_PORT}, '127.0.0.1');
`;
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
http://:${STATIC_AUTH_PORT} {
	bind 127.0.0.1
	header X-Upstream ${upstream}
	respond 200
}
http://*.external.medforge.localhost:${FLOOR_PORT} {
	bind 127.0.0.1
	import ${path.join(root, 'deploy/caddy/session-routing.caddy')} 127.0.0.1:${STATIC_AUTH_PORT} mf_session
}
http://direct.medforge.localhost:${CADDY_PORT} {
	bind 127.0.0.1
	reverse_proxy ${upstream}
}
`);
}

/** Round trips of a small message over one websocket, after a warm-up: p50 and p99 in milliseconds. */
async function websocketRoundTrips(url, headers) {
  const socket = new NodeWebSocket(url, { headers });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const times = [];
  for (let i = 0; i < RTT_MESSAGES + 200; i++) {
    const sent = process.hrtime.bigint();
    await new Promise((resolve) => {
      socket.once('message', resolve);
      socket.send(`ping ${i}`);
    });
    if (i >= 200) times.push(Number(process.hrtime.bigint() - sent) / 1e6);
  }
  socket.close();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)], p99: times[Math.ceil(times.length * 0.99) - 1] };
}

/**
 * The workbench opened in a fresh browser context (cold cache): from navigation start until the last of
 * its requests (the page and every asset) has finished, once the workbench is on screen and the network
 * is idle.
 */
async function firstLoad(browser, url, cookie) {
  const context = await browser.newContext();
  try {
    if (cookie) {
      const [name, value] = cookie.split('=');
      await context.addCookies([{ name, value, url }]);
    }
    const page = await context.newPage();
    let requests = 0;
    let lastFinished = 0;
    const assets = [];
    page.on('requestfinished', (request) => {
      requests += 1;
      lastFinished = Date.now();
      if (request.method() === 'GET') assets.push(new URL(request.url()).pathname + new URL(request.url()).search);
    });
    const started = Date.now();
    await page.goto(url, { timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    return { ms: lastFinished - started, assets: requests, paths: assets };
  } finally {
    await context.close();
  }
}

/**
 * Every asset of the workbench's first load fetched again over fresh connections, six at a time as a
 * browser does per host: the network part of a first load, without the browser's own CPU (which moves
 * the Chromium figure by more than the proxy does).
 */
async function replayFirstLoad(port, host, headers, paths) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  const started = process.hrtime.bigint();
  let bytes = 0;
  await Promise.all(
    paths.map(
      (assetPath) =>
        new Promise((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port, path: assetPath, agent, headers: { ...headers, host } }, (response) => {
              response.on('data', (chunk) => (bytes += chunk.length));
              response.on('end', resolve);
            })
            .on('error', reject);
        }),
    ),
  );
  agent.destroy();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes };
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
      floor: { port: FLOOR_PORT, host: `s-${slug}.external.medforge.localhost:${FLOOR_PORT}`, path: REQUEST_PATH },
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
      const runs = { direct: [], auth: [], floor: [], endpoint: [] };
      for (let round = 0; round < 2; round++) {
        for (const [name, target] of Object.entries(paths)) {
          runs[name].push(await measureGet({ ...target, duration, connections: load }));
        }
      }
      const [d, a, f, e] = [summary(runs.direct), summary(runs.auth), summary(runs.floor), summary(runs.endpoint)];
      console.log(`\n${load} connection${load === 1 ? '' : 's'}:`);
      console.log(row('Caddy → container (no auth)', d));
      console.log(row('Caddy + forward auth → container', a));
      console.log(row('Caddy + static forward auth (floor)', f));
      console.log(row('gateway forward-auth endpoint alone', e));
      console.log(
        `throughput ratio ${(a.requestsPerSecond / d.requestsPerSecond).toFixed(2)} (target ≥ 0.85)   ` +
          `p50 added ${(a.p50Ms - d.p50Ms).toFixed(2)} ms (target < 1 ms); ` +
          `the forward-auth exchange alone allows ${(f.requestsPerSecond / d.requestsPerSecond).toFixed(2)}`,
      );
    }

    // What users feel: a websocket round trip and the workbench's first load, direct and authorised.
    execFileSync('docker', ['exec', '-d', `mf-session-${slug}`, 'node', '-e', ECHO_SERVER]);
    const echoPath = `/proxy/${ECHO_PORT}/`;
    const wsTargets = {
      direct: [`ws://127.0.0.1:${CADDY_PORT}${echoPath}`, { host: paths.direct.host }],
      auth: [`ws://127.0.0.1:${CADDY_PORT}${echoPath}`, { host: paths.auth.host, cookie }],
    };
    await until('echo server', 15_000, () => websocketRoundTrips(...wsTargets.direct).then(() => true));
    const rtt = { direct: [], auth: [] };
    for (let round = 0; round < 2; round++) {
      for (const [name, [url, headers]] of Object.entries(wsTargets))
        rtt[name].push(await websocketRoundTrips(url, headers));
    }
    const meanOf = (runs, key) => runs.reduce((sum, r) => sum + r[key], 0) / runs.length;
    console.log(
      `\nwebsocket round trip (${RTT_MESSAGES} messages, code-server's port proxy to an echo server, 2 rounds):`,
    );
    console.log(
      `  Caddy → container:                p50 ${meanOf(rtt.direct, 'p50').toFixed(3)} ms, p99 ${meanOf(rtt.direct, 'p99').toFixed(3)} ms`,
    );
    console.log(
      `  Caddy + forward auth → container: p50 ${meanOf(rtt.auth, 'p50').toFixed(3)} ms, p99 ${meanOf(rtt.auth, 'p99').toFixed(3)} ms`,
    );
    console.log(
      `  added p50 ${(meanOf(rtt.auth, 'p50') - meanOf(rtt.direct, 'p50')).toFixed(3)} ms (target within 0.2 ms)`,
    );

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const loads = { direct: [], auth: [] };
      const urls = {
        direct: [`http://${paths.direct.host}/`, null],
        auth: [`http://${paths.auth.host}/`, cookie],
      };
      // Warm-up: code-server compiles and caches its own files; its requests are the replay's list.
      const { paths: assetPaths } = await firstLoad(browser, ...urls.direct);
      for (let i = 0; i < FIRST_LOADS; i++) {
        // Alternating, and the order swapped every round, so drift on the machine falls on both.
        const order = i % 2 === 0 ? ['direct', 'auth'] : ['auth', 'direct'];
        for (const name of order) loads[name].push(await firstLoad(browser, ...urls[name]));
      }
      const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
      const [dMs, aMs] = [median(loads.direct.map((l) => l.ms)), median(loads.auth.map((l) => l.ms))];
      console.log(
        `\nworkbench first load in Chromium (${loads.direct[0].assets} requests, cold cache, median of ${FIRST_LOADS}):`,
      );
      console.log(
        `  Caddy → container: ${dMs.toFixed(0)} ms;  Caddy + forward auth: ${aMs.toFixed(0)} ms;  ` +
          `${(((aMs - dMs) / dMs) * 100).toFixed(1)} % slower (target within 10 %)`,
      );
      const replays = { direct: [], auth: [] };
      for (let i = 0; i < 10; i++) {
        const order = i % 2 === 0 ? ['direct', 'auth'] : ['auth', 'direct'];
        for (const name of order) {
          const target = paths[name];
          replays[name].push(await replayFirstLoad(target.port, target.host, target.headers ?? {}, assetPaths));
        }
      }
      const [dReplay, aReplay] = [median(replays.direct.map((r) => r.ms)), median(replays.auth.map((r) => r.ms))];
      console.log(
        `  its ${assetPaths.length} GETs (${(replays.direct[0].bytes / 1e6).toFixed(1)} MB) replayed over fresh connections, ` +
          `6 at a time, median of 10: Caddy → container ${dReplay.toFixed(0)} ms;  Caddy + forward auth ${aReplay.toFixed(0)} ms;  ` +
          `${(((aReplay - dReplay) / dReplay) * 100).toFixed(1)} % slower (target within 10 %)`,
      );
    } finally {
      await browser.close();
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
