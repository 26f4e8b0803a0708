// Benchmark: competitions end to end. (1) Submissions scored per second: 20 users upload 10 Titanic files
// each (their daily cap) through the gateway's REST multipart route, 20 at a time, and the real scoring
// worker (its own process, one scoring thread) scores them; measured from the first upload to the last
// SCORED row. (2) Leaderboard reads with 100,000 scored submissions from 10,000 users (inserted straight
// into the database): the first page through the gateway, and one user's own rank.
// Run: npm run bench:competitions (builds first). BENCH_LEADERBOARD_SUBMISSIONS (default 100000).
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ORIGIN, generateCompetitionData, signUp } = require('./lib/platform');
const { benchDatabase, root, startBenchStack } = require('./lib/stack');

const USERS = 20;
const FILES_PER_USER = 10;
const LEADERBOARD_SUBMISSIONS = Number(process.env.BENCH_LEADERBOARD_SUBMISSIONS ?? 100_000);
const LEADERBOARD_USERS = LEADERBOARD_SUBMISSIONS / 10;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function upload(gatewayUrl, cookie, csv) {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'predictions.csv');
  const response = await fetch(`${gatewayUrl}/api/v2/competitions/titanic-survival/submissions`, {
    method: 'POST',
    headers: { cookie, origin: ORIGIN },
    body: form,
  });
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
}

function startWorker(env) {
  const child = spawn(process.execPath, [path.join(root, 'subgraphs/competition/dist/worker/main.js')], {
    env: { ...env, LOG_LEVEL: 'warn', SCORING_SWEEP_INTERVAL_SECONDS: '60' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { stop: () => new Promise((resolve) => (child.kill('SIGTERM'), child.once('exit', resolve))) };
}

async function main() {
  // Installed data as on a real host: intake then checks every upload's ids against the test ids.
  const data = await generateCompetitionData();
  const { titanic } = data;
  const stack = await startBenchStack(4600, {
    SUBMISSIONS_DIR: mkdtempSync(path.join(os.tmpdir(), 'mf-bench-submissions-')),
    SCORING_QUEUE_NAME: `bench-scoring-${process.pid}`,
    ...data.env,
  });
  const worker = startWorker(stack.env);
  const knex = benchDatabase(stack, 'COMPETITION_DB_NAME');
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000)); // worker ready
    const users = await Promise.all(
      Array.from({ length: USERS }, (_, i) => signUp(stack.gatewayUrl, `bench-comp-${i}`)),
    );
    const labels = [...titanic.truth.labels];
    const files = users.flatMap((user, u) =>
      Array.from({ length: FILES_PER_USER }, (_, f) => ({
        cookie: user.cookie,
        csv: `PassengerId,Survived\n${labels.map(([id, l], i) => `${id},${(i + u + f) % 7 === 0 ? 1 - l : l}`).join('\n')}\n`,
      })),
    );
    const started = Date.now();
    for (let i = 0; i < files.length; i += USERS) {
      await Promise.all(files.slice(i, i + USERS).map((f) => upload(stack.gatewayUrl, f.cookie, f.csv)));
    }
    const accepted = Date.now();
    for (;;) {
      const [{ n }] = await knex('submissions').where('status', 'scored').count({ n: '*' });
      if (Number(n) === files.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const done = Date.now();
    console.log(`${files.length} Titanic submissions from ${USERS} users, ${os.cpus().length} CPUs, 1 scoring thread`);
    console.log(
      `  accepted (REST multipart, 20 at a time): ${((files.length / (accepted - started)) * 1000).toFixed(1)} req/s`,
    );
    console.log(
      `  upload → SCORED, end to end:              ${((files.length / (done - started)) * 1000).toFixed(1)} submissions/s (${done - started} ms)`,
    );

    // Leaderboard at scale: rows straight into the database, as the worker would have written them.
    const [{ id: competitionId }] = await knex('competitions').where({ slug: 'cifar-100-classification' }).select('id');
    const userIds = Array.from({ length: LEADERBOARD_USERS }, () => randomUUID());
    const base = Date.now() - 86_400_000;
    for (let start = 0; start < LEADERBOARD_SUBMISSIONS; start += 5000) {
      const submissions = [];
      const scores = [];
      for (let i = start; i < Math.min(start + 5000, LEADERBOARD_SUBMISSIONS); i++) {
        const id = randomUUID();
        const userId = userIds[i % LEADERBOARD_USERS];
        const at = new Date(base + i * 100);
        submissions.push({
          id,
          competition_id: competitionId,
          user_id: userId,
          status: 'scored',
          filename: 'p.csv',
          artifact_path: `cifar/${id}.csv`,
          artifact_sha256: '0'.repeat(64),
          size_bytes: 1,
          row_count: 10000,
          submitted_day: at.toISOString().slice(0, 10),
          counts_against_cap: true,
          created_at: at,
        });
        scores.push({
          id: randomUUID(),
          submission_id: id,
          competition_id: competitionId,
          user_id: userId,
          primary_score: Math.round(Math.random() * 10000) / 10000,
          score_components: '{}',
          scorer_version: 'bench',
          metric_version: 'accuracy-v1',
          holdout_sha256: '0'.repeat(64),
          evaluation_split_version: 'bench',
          submitted_at: at,
        });
      }
      await knex('submissions').insert(submissions);
      await knex('submission_scores').insert(scores);
    }
    // Each user's best, as the scoring transaction keeps it (the same statement as migration 0003's backfill).
    await knex.raw(
      `INSERT INTO leaderboard_bests (competition_id, user_id, submission_id, primary_score, rank_score, submitted_at)
       SELECT competition_id, user_id, submission_id, primary_score, primary_score, submitted_at FROM (
         SELECT competition_id, user_id, submission_id, primary_score, submitted_at,
                ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY primary_score DESC, submitted_at, submission_id) AS pick
         FROM submission_scores WHERE competition_id = ?) ranked WHERE pick = 1`,
      [competitionId],
    );
    const someone = users[0];
    await knex('leaderboard_bests')
      .where({ competition_id: competitionId })
      .orderBy('rank_score')
      .limit(1)
      .update({ user_id: someone.id }); // the viewer: last place, the most rows ahead of them
    const query = (q) =>
      fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: someone.cookie },
        body: JSON.stringify({ query: q }),
      }).then((r) => r.json());
    const time = async (label, q, runs = 30) => {
      for (let i = 0; i < 3; i++) await query(q);
      const times = [];
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        const body = await query(q);
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((a, b) => a - b);
      console.log(
        `  ${label.padEnd(44)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms`,
      );
    };
    console.log(
      `leaderboard: ${LEADERBOARD_SUBMISSIONS} scored submissions from ${LEADERBOARD_USERS} users (GraphQL via the gateway)`,
    );
    await time(
      'first page (50 entries, total)',
      '{ competition(slug: "cifar-100-classification") { leaderboard(limit: 50) { totalEntries entries { rank score user { id } } } } }',
    );
    await time(
      'page 100 (offset 4950)',
      '{ competition(slug: "cifar-100-classification") { leaderboard(limit: 50, offset: 4950) { entries { rank score } } } }',
    );
    await time(
      "the viewer's own rank",
      '{ competition(slug: "cifar-100-classification") { myLeaderboardEntry { rank score } } }',
    );
  } finally {
    await knex.destroy();
    await worker.stop();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
