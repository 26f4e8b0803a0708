// What several benchmarks do to the platform and its processes: sign up, generate competition data,
// read a process's CPU and memory, summarise latencies.
const { mkdtempSync, readFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ORIGIN = 'http://medforge.localhost:8080';

/** A new account through the REST shim: its login cookie and user id. */
async function signUp(gatewayUrl, label) {
  const response = await fetch(`${gatewayUrl}/api/v2/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({
      email: `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`,
      password: 'benchmark password',
    }),
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${await response.text()}`);
  return { cookie: response.headers.get('set-cookie').split(';')[0], id: (await response.json()).data.user.id };
}

/**
 * Installed competition data as on a real host (secret holdouts, then training and public-eval data drawn
 * from them) in a temporary folder; the stack settings that point at it, and the Titanic holdout.
 */
async function generateCompetitionData() {
  const { generateDatasets, generateHoldouts, loadHoldouts } = require('@medforge/competition');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-data-'));
  const holdoutsDir = path.join(dataDir, 'holdouts');
  const roots = { training: path.join(dataDir, 'training'), publicEval: path.join(dataDir, 'public-eval') };
  generateHoldouts(holdoutsDir);
  await generateDatasets(holdoutsDir, roots);
  return {
    env: {
      TEST_HOLDOUTS_DIR: holdoutsDir,
      TRAINING_DATA_ROOT: roots.training,
      PUBLIC_EVAL_DATA_ROOT: roots.publicEval,
    },
    titanic: loadHoldouts(holdoutsDir).get('titanic-survival'),
  };
}

/** The p-th percentile of unsorted values. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A process's own CPU time (user + system) in ms, from /proc (USER_HZ 100). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** A process's resident memory in KiB. */
function rssKiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

module.exports = { ORIGIN, cpuMs, generateCompetitionData, percentile, rssKiB, signUp };
