// Benchmark: the console's production bundle and first load. Reports each built asset's size (raw and
// gzip) and loads the console through the real Caddy (deploy/caddy/Caddyfile.dev) and gateway in
// headless Chromium, BENCH_LOADS (10) times with a cold cache: navigation timing to DOMContentLoaded and
// load, and until the competitions (a federated query) are on screen.
// Run: npm run bench:console (builds first).
const { spawn } = require('node:child_process');
const { readdirSync, readFileSync, statSync, mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { gzipSync } = require('node:zlib');

const { chromium } = require('playwright-core');

const { root, startBenchStack } = require('./lib/stack');

const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const GATEWAY_PORT = 4700;
const CADDY_PORT = 18481;
const dist = path.join(root, 'ui', 'dist');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function bundle() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.map')) files.push(full);
    }
  };
  walk(dist);
  return files.map((file) => {
    const bytes = readFileSync(file);
    return { file: path.relative(dist, file), raw: bytes.length, gzip: gzipSync(bytes).length };
  });
}

async function main() {
  const assets = bundle();
  console.log('production bundle (ui/dist, without source maps):');
  for (const a of assets)
    console.log(`  ${a.file.padEnd(36)} ${String(a.raw).padStart(8)} B  gzip ${String(a.gzip).padStart(7)} B`);
  const total = assets.reduce((sum, a) => ({ raw: sum.raw + a.raw, gzip: sum.gzip + a.gzip }), { raw: 0, gzip: 0 });
  console.log(`  ${'total'.padEnd(36)} ${String(total.raw).padStart(8)} B  gzip ${String(total.gzip).padStart(7)} B`);

  const stack = await startBenchStack(GATEWAY_PORT, { MEDFORGE_PUBLIC_URL: `http://medforge.localhost:${CADDY_PORT}` });
  const home = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-console-'));
  const caddy = spawn(
    'caddy',
    ['run', '--config', path.join(root, 'deploy/caddy/Caddyfile.dev'), '--adapter', 'caddyfile'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_DATA_HOME: home,
        XDG_CONFIG_HOME: home,
        MEDFORGE_HTTP_PORT: String(CADDY_PORT),
        CADDY_ADMIN_PORT: String(CADDY_PORT + 1),
        GATEWAY_PORT: String(GATEWAY_PORT),
        GATEWAY_UPSTREAMS: `127.0.0.1:${GATEWAY_PORT}`,
        MEDFORGE_UI_DIST: dist,
      },
      stdio: 'ignore',
    },
  );
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const timings = { dcl: [], load: [], content: [] };
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext(); // a cold cache every time
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(`http://medforge.localhost:${CADDY_PORT}/competitions`);
      await page.getByRole('link', { name: 'Titanic: who survived?' }).waitFor();
      timings.content.push(Date.now() - started);
      const nav = await page.evaluate(() => JSON.parse(JSON.stringify(performance.getEntriesByType('navigation')[0])));
      timings.dcl.push(nav.domContentLoadedEventEnd);
      timings.load.push(nav.loadEventEnd);
      await context.close();
    }
    console.log(
      `first load through Caddy, ${LOADS} cold loads, ${os.cpus().length} CPUs (loopback: no network latency):`,
    );
    for (const [label, values] of [
      ['DOMContentLoaded', timings.dcl],
      ['load event', timings.load],
      ['competitions on screen', timings.content],
    ]) {
      const sorted = [...values].sort((a, b) => a - b);
      console.log(
        `  ${label.padEnd(24)} p50 ${percentile(sorted, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(sorted, 95).toFixed(0).padStart(5)} ms`,
      );
    }
  } finally {
    await browser.close();
    caddy.kill('SIGTERM');
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
