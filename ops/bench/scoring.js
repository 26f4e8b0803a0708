// Benchmark: scoring time per metric on the full-size generated holdouts (418 Titanic passengers,
// 10,000 CIFAR-100 images, 3,000 RSNA images), parse + validate + metric, the work one scoring job does
// on a file. Submissions are realistic: Titanic and CIFAR about 80 % right, RSNA with jittered true
// boxes plus false positives. Run: npm run bench:scoring (builds first). BENCH_ITERATIONS (default 20).
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { generateHoldouts, loadHoldouts, scoreSubmission } = require('@medforge/competition');

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function labelSubmission(header, labels, classes, random) {
  const rows = [...labels].map(([id, label]) => `${id},${random() < 0.8 ? label : Math.floor(random() * classes)}`);
  return Buffer.from(`${header}\n${rows.join('\n')}\n`);
}

function rsnaSubmission(boxes, random) {
  const rows = [...boxes].map(([id, truth]) => {
    const predicted = truth.map((b) => {
      const jitter = () => Math.round((random() - 0.5) * 30);
      return `${(0.5 + random() / 2).toFixed(3)} ${Math.max(0, b.x + jitter())} ${Math.max(0, b.y + jitter())} ${b.width + jitter()} ${b.height + jitter()}`;
    });
    if (random() < 0.3) predicted.push(`${(random() / 2).toFixed(3)} 300 300 120 200`);
    return `${id},${predicted.join(' ')}`;
  });
  return Buffer.from(`patientId,PredictionString\n${rows.join('\n')}\n`);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-holdouts-'));
generateHoldouts(dir);
const holdouts = loadHoldouts(dir);
const random = seeded(42);
const cases = [
  ['titanic-survival (accuracy)', 'titanic-survival', { idColumn: 'PassengerId', targetColumn: 'Survived' }],
  ['cifar-100 (accuracy)', 'cifar-100-classification', { idColumn: 'id', targetColumn: 'label' }],
  [
    'rsna (mAP over IoU 0.40-0.75)',
    'rsna-pneumonia-detection',
    { idColumn: 'patientId', targetColumn: 'PredictionString' },
  ],
];
console.log(`scoring a full-size submission, ${ITERATIONS} runs each (after 3 warm-up runs), ${os.cpus().length} CPUs`);
for (const [label, slug, columns] of cases) {
  const holdout = holdouts.get(slug);
  const file =
    holdout.truth.kind === 'boxes'
      ? rsnaSubmission(holdout.truth.boxes, random)
      : labelSubmission(
          columns.idColumn + ',' + columns.targetColumn,
          holdout.truth.labels,
          slug.startsWith('titanic') ? 2 : 100,
          random,
        );
  let score;
  for (let i = 0; i < 3; i++) score = scoreSubmission(file, holdout, columns);
  const times = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = process.hrtime.bigint();
    score = scoreSubmission(file, holdout, columns);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(32)} ${String(file.length).padStart(8)} bytes  p50 ${percentile(times, 50).toFixed(2).padStart(7)} ms  ` +
      `p95 ${percentile(times, 95).toFixed(2).padStart(7)} ms  score ${score.primaryScore.toFixed(4)}`,
  );
}
