// Benchmark: what refused uploads cost everyone else. One signed-in user sends 10 RSNA files of 5.6 MB
// that fail on their last line, 2 at a time, while an anonymous visitor reads a leaderboard without pause;
// the reads' latency is measured before and during the burst. Run side by side in one run: intake reading
// files on the competition subgraph's event loop (SUBMISSION_CHECK_THREADS=0) and on its thread pool (the
// default). Also: how long a single line of 300,000 boxes takes to refuse. Each configuration is its own
// installation (own databases, ports and instance), so nothing of a running MedForge is touched.
// Run: npm run bench:intake (builds first). Target: leaderboard reads under 100 ms p50 during the burst.
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ORIGIN, generateCompetitionData, percentile, signUp } = require('./lib/platform');
const { startBenchStack } = require('./lib/stack');

const FILES = 10;
const AT_ONCE = 2;
const IDLE_MS = 3_000;

/** 3,000 test images with 100 boxes each (about 5.6 MB); the very last box has confidence 2. */
function failingOnLastLine(testIds) {
  const boxes = Array.from({ length: 100 }, (_, b) => `0.5 ${100 + b} ${200 + b} 150 250`).join(' ');
  const rows = testIds.map((id) => `${id},${boxes}`);
  rows[rows.length - 1] = rows[rows.length - 1].replace(/0\.5( \S+ \S+ \S+ \S+)$/, '2$1');
  return `patientId,PredictionString\n${rows.join('\n')}\n`;
}

async function upload(gatewayUrl, cookie, csv) {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'predictions.csv');
  const started = performance.now();
  const response = await fetch(`${gatewayUrl}/api/v2/competitions/rsna-pneumonia-detection/submissions`, {
    method: 'POST',
    headers: { cookie, origin: ORIGIN },
    body: form,
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

/** Reads the leaderboard as an anonymous visitor, one request after another, until `until()` says stop. */
async function readLeaderboard(gatewayUrl, until) {
  const latencies = [];
  while (!until()) {
    const started = performance.now();
    const response = await fetch(`${gatewayUrl}/api/v2/competitions/titanic-survival/leaderboard`);
    await response.text();
    if (!response.ok) throw new Error(`leaderboard read failed: ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

const summary = (values) =>
  `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, ` +
  `max ${Math.max(...values).toFixed(1)} ms (${values.length} reads)`;

async function measure(label, basePort, data, csv, hugeLine) {
  const stack = await startBenchStack(basePort, {
    SUBMISSIONS_DIR: mkdtempSync(path.join(os.tmpdir(), 'mf-bench-submissions-')),
    SCORING_QUEUE_NAME: `bench-intake-${process.pid}-${basePort}`,
    SUBMISSION_REFUSALS_PER_WINDOW: String(FILES + 2),
    ...data.env,
    ...(label === 'event loop' ? { SUBMISSION_CHECK_THREADS: '0' } : {}),
  });
  try {
    const sender = await signUp(stack.gatewayUrl, 'bench-intake');
    await readLeaderboard(
      stack.gatewayUrl,
      (
        (end) => () =>
          performance.now() > end
      )(performance.now() + 500),
    );
    const idleEnd = performance.now() + IDLE_MS;
    const idle = await readLeaderboard(stack.gatewayUrl, () => performance.now() > idleEnd);

    let sending = true;
    const reads = readLeaderboard(stack.gatewayUrl, () => !sending);
    const uploads = [];
    const burstStarted = performance.now();
    for (let i = 0; i < FILES; i += AT_ONCE) {
      uploads.push(
        ...(await Promise.all(Array.from({ length: AT_ONCE }, () => upload(stack.gatewayUrl, sender.cookie, csv)))),
      );
    }
    const burstMs = performance.now() - burstStarted;
    sending = false;
    const during = await reads;
    const statuses = [...new Set(uploads.map((u) => u.status))].join(',');
    const huge = await upload(stack.gatewayUrl, (await signUp(stack.gatewayUrl, 'bench-huge')).cookie, hugeLine);
    console.log(`\n${label}:`);
    console.log(`  leaderboard idle:         ${summary(idle)}`);
    console.log(`  leaderboard during burst: ${summary(during)}`);
    console.log(
      `  burst: ${FILES} refused uploads (HTTP ${statuses}) in ${(burstMs / 1000).toFixed(2)} s, ` +
        `each answered in p50 ${percentile(
          uploads.map((u) => u.ms),
          50,
        ).toFixed(0)} ms`,
    );
    console.log(`  one line of 300,000 boxes: HTTP ${huge.status} in ${huge.ms.toFixed(0)} ms`);
    return percentile(during, 50);
  } finally {
    await stack.stop();
  }
}

async function main() {
  const data = await generateCompetitionData();
  const { loadHoldouts } = require('@medforge/competition');
  const testIds = [...loadHoldouts(data.env.TEST_HOLDOUTS_DIR).get('rsna-pneumonia-detection').ids];
  const csv = failingOnLastLine(testIds);
  const hugeLine = `patientId,PredictionString\n${testIds[0]},${'0.5 1 2 3 4 '.repeat(300_000)}\n`;
  console.log(
    `intake burst: ${FILES} files of ${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB failing on their last line, ` +
      `${AT_ONCE} at a time, with anonymous leaderboard reads throughout`,
  );
  const onLoop = await measure('event loop', 4700, data, csv, hugeLine);
  const onThreads = await measure('thread pool', 4710, data, csv, hugeLine);
  console.log(
    `\nleaderboard p50 during the burst: ${onLoop.toFixed(1)} ms on the event loop, ${onThreads.toFixed(1)} ms with ` +
      `the thread pool (target < 100 ms): ${onThreads < 100 ? 'met' : 'NOT met'}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
