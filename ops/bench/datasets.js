// Benchmark: dataset download throughput through the platform's path (Caddy → gateway → competition
// subgraph, signed in, streamed) versus the same Caddy serving the same file from disk with file_server,
// alternating runs in one process; one download at a time and four at once. Target: at least 0.5 of
// Caddy's direct throughput. Run: npm run bench:datasets (builds first).
const { createHash } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { startCaddy: startBenchCaddy } = require('./lib/caddy');
const { root, startBenchStack } = require('./lib/stack');

const ORIGIN = 'http://medforge.localhost:8080';
const GATEWAY_PORT = 4600;
const CADDY_PORT = Number(process.env.BENCH_CADDY_PORT ?? 18580);
const FILE = { dataset: 'cifar-100', part: 'training', name: 'train_images.npy' };

function startCaddy(dataDir) {
  return startBenchCaddy(`http://medforge.localhost:${CADDY_PORT} {
	bind 127.0.0.1
	reverse_proxy 127.0.0.1:${GATEWAY_PORT}
}
http://files.medforge.localhost:${CADDY_PORT} {
	bind 127.0.0.1
	root * ${dataDir}
	file_server
}
`);
}

/** One GET through Caddy; resolves to { bytes, sha256 } once the whole body has arrived. */
function download(host, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port: CADDY_PORT, path: urlPath, headers: { host, ...headers } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`${host}${urlPath}: HTTP ${res.statusCode}`));
        const hash = createHash('sha256');
        let bytes = 0;
        res.on('data', (chunk) => (hash.update(chunk), (bytes += chunk.length)));
        res.on('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

/** MB/s of `rounds` rounds of `parallel` simultaneous downloads. */
async function throughput(host, urlPath, headers, parallel, rounds, expectedSha) {
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    const results = await Promise.all(Array.from({ length: parallel }, () => download(host, urlPath, headers)));
    for (const result of results) {
      if (result.sha256 !== expectedSha) throw new Error(`${host}${urlPath}: the body's SHA-256 differs`);
      bytes += result.bytes;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return bytes / 1e6 / seconds;
}

async function main() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const base = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-data-'));
  const { generateHoldouts, generateDatasets } = require(path.join(root, 'subgraphs/competition/dist/index.js'));
  const roots = { training: path.join(base, 'training'), publicEval: path.join(base, 'public-eval') };
  generateHoldouts(path.join(base, 'holdouts'));
  await generateDatasets(path.join(base, 'holdouts'), roots);
  const stack = await startBenchStack(GATEWAY_PORT, {
    TRAINING_DATA_ROOT: roots.training,
    PUBLIC_EVAL_DATA_ROOT: roots.publicEval,
    TEST_HOLDOUTS_DIR: path.join(base, 'holdouts'),
  });
  const caddy = startCaddy(roots.training);
  try {
    const signup = await fetch(`${stack.gatewayUrl}/api/v2/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email: `bench-data-${Date.now()}@example.org`, password: 'benchmark password' }),
    });
    if (signup.status !== 201) throw new Error(`sign-up failed: ${await signup.text()}`);
    const cookie = signup.headers.get('set-cookie').split(';')[0];
    const listed = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: ORIGIN },
      body: JSON.stringify({
        query: `{ dataset(slug: "${FILE.dataset}") { files { name sizeBytes sha256 downloadUrl } } }`,
      }),
    }).then((r) => r.json());
    const file = listed.data.dataset.files.find((f) => f.name === FILE.name);
    const platform = ['medforge.localhost', file.downloadUrl, { cookie }];
    const direct = [`files.medforge.localhost`, `/${FILE.dataset}/${FILE.name}`, {}];
    await new Promise((resolve) => setTimeout(resolve, 500)); // Caddy listening
    await throughput(...direct, 1, 1, file.sha256); // warm the page cache
    console.log(`${FILE.dataset}/${FILE.name}: ${(file.sizeBytes / 1e6).toFixed(1)} MB, ${rounds} rounds per run\n`);
    console.log('| parallel | Caddy file_server | Caddy → gateway → subgraph | ratio |');
    console.log('| -------- | ----------------- | -------------------------- | ----- |');
    for (const parallel of [1, 4]) {
      const directRuns = [];
      const platformRuns = [];
      for (let run = 0; run < 2; run++) {
        directRuns.push(await throughput(...direct, parallel, rounds, file.sha256));
        platformRuns.push(await throughput(...platform, parallel, rounds, file.sha256));
      }
      const d = Math.max(...directRuns);
      const p = Math.max(...platformRuns);
      console.log(`| ${parallel} | ${d.toFixed(0)} MB/s | ${p.toFixed(0)} MB/s | ${(p / d).toFixed(2)} |`);
    }
  } finally {
    await caddy.stop();
    await stack.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
