// Benchmark: what the reaper's look at running sessions costs. 7 running sessions on the dev pack; the
// reaper looks every second (one docker exec and one statistics read per session, GPU telemetry from
// memory). Side by side in one run: the reaper off (polling hourly) as the baseline, then 7 idle
// sessions, then the same 7 with a CPU-busy process each (held to a tenth of a core): each pass's wall
// time (from its log line), and the CPU per pass of session-runtime and of dockerd beyond the baseline.
// Its own installation (bench instance, fresh databases, directory homes): nothing of `npm run up` is
// touched. Run: npm run bench:reaper (builds first). BENCH_SECONDS per phase (default 20).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const { ORIGIN, cpuMs, percentile, signUp } = require('./lib/platform');
const { benchDatabase, restartService, root, startBenchStack } = require('./lib/stack');

const SESSIONS = 7;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

const dockerdPid = () => Number(execFileSync('pgrep', ['-xo', 'dockerd'], { encoding: 'utf8' }).trim());

/** session-runtime restarted with the reaper looking every `pollSeconds`: passes and CPU over SECONDS. */
async function measure(stack, pollSeconds) {
  const passes = [];
  const child = await restartService(
    stack,
    'session-runtime',
    new URL(stack.env.SESSION_RUNTIME_URL).port,
    { LOG_LEVEL: 'debug', SESSION_ACTIVITY_POLL_SECONDS: String(pollSeconds) },
    (entry) => entry.msg === 'session reaper pass' && passes.push(entry),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000)); // past its start
  const [runtimeBefore, dockerBefore, counted] = [cpuMs(child.pid), cpuMs(dockerdPid()), passes.length];
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const measured = passes.slice(counted);
  return {
    passes: measured.length,
    checked: measured.at(-1)?.checked ?? 0,
    p50: measured.length
      ? percentile(
          measured.map((p) => p.duration_ms),
          50,
        )
      : NaN,
    max: measured.length ? Math.max(...measured.map((p) => p.duration_ms)) : NaN,
    runtimeMs: cpuMs(child.pid) - runtimeBefore,
    dockerMs: cpuMs(dockerdPid()) - dockerBefore,
  };
}

async function main() {
  const image = execFileSync('bash', [path.join(root, 'ops/packs/dev/build.sh')], { encoding: 'utf8' }).trim();
  const stack = await startBenchStack(4500, {
    MEDFORGE_DEFAULT_PACK_IMAGE: image,
    WORKSPACE_BACKEND: 'directory',
    WORKSPACE_DIRECTORY_ROOT: `/tmp/medforge-bench-reaper-${process.pid}`,
    // Each busy process is held to a tenth of a core (0.7 of the machine's 2 in all), and 5 % counts as busy.
    SESSION_DEFAULT_CPUS: '0.1',
    SESSION_BUSY_CPU_PERCENT: '5',
    SESSION_STOP_GRACE_SECONDS: '1',
  });
  const knex = benchDatabase(stack, 'SESSION_DB_NAME');
  try {
    const ids = [];
    for (let i = 0; i < SESSIONS; i++) {
      const { cookie } = await signUp(stack.gatewayUrl, `reaper-${i}`);
      const response = await fetch(`${stack.gatewayUrl}/api/v2/external/sessions`, {
        method: 'POST',
        headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
        body: '{}',
      });
      const created = await response.json();
      if (!created.data) throw new Error(JSON.stringify(created));
      ids.push(created.data.id);
    }
    const running = async () => knex('sessions').whereIn('id', ids).where({ status: 'running' });
    for (let i = 0; i < 600 && (await running()).length < SESSIONS; i++) await new Promise((r) => setTimeout(r, 200));
    const rows = await running();
    if (rows.length < SESSIONS) throw new Error(`only ${rows.length} of ${SESSIONS} sessions started`);

    const baseline = await measure(stack, 3600);
    const idle = await measure(stack, 1);
    for (const row of rows) {
      execFileSync('docker', ['exec', '-d', `mf-session-${row.slug}`, 'sh', '-c', 'while :; do :; done']);
    }
    const busy = await measure(stack, 1);
    const reasons = (await running()).map((row) => row.activity_reason);

    const perPass = (phase, key) => ((phase[key] - baseline[key]) / phase.passes).toFixed(1);
    console.log(`reaper, ${SESSIONS} running sessions (dev pack), a look every second, ${SECONDS} s per phase`);
    console.log(
      `  baseline (reaper polling hourly): session-runtime ${baseline.runtimeMs} ms CPU, dockerd ${baseline.dockerMs} ms CPU`,
    );
    for (const [label, phase] of [
      ['idle sessions', idle],
      ['busy sessions', busy],
    ]) {
      console.log(
        `  ${label}: ${phase.passes} passes of ${phase.checked} sessions, p50 ${phase.p50} ms, max ${phase.max} ms; ` +
          `per pass ${perPass(phase, 'runtimeMs')} ms session-runtime CPU + ${perPass(phase, 'dockerMs')} ms dockerd CPU`,
      );
    }
    console.log(`  what the busy sessions said: ${[...new Set(reasons)].join(', ')}`);
  } finally {
    await knex.destroy();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
