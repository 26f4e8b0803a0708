// Starts the built platform as separate processes (as in production) on fixed loopback ports, each
// subgraph on a fresh benchmark database, and stops it again. Used by every benchmark here.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const SECRET = randomBytes(32).toString('hex');

async function waitForHealth(url, deadlineMs) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not become healthy`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The benchmark installation's session containers and its claim on its instance name. */
function removeBenchInstance(instance) {
  const docker = (...args) => spawnSync('docker', args, { encoding: 'utf8' });
  const ids = docker('ps', '-aq', '--filter', `label=dev.medforge.instance=${instance}`)
    .stdout.split('\n')
    .filter(Boolean);
  if (ids.length > 0) docker('rm', '-f', ...ids);
  docker('volume', 'rm', '-f', `medforge-instance-${instance}`);
}

async function startBenchStack(basePort = 4300, extraEnv = {}) {
  const suffix = randomBytes(3).toString('hex');
  const env = {
    ...process.env,
    MEDFORGE_ENV: 'development',
    LOG_LEVEL: 'warn',
    CONTEXT_SIGNING_SECRET: SECRET,
    IDENTITY_PORT: String(basePort + 1),
    SESSION_RUNTIME_PORT: String(basePort + 2),
    COMPETITION_PORT: String(basePort + 3),
    GATEWAY_PORT: String(basePort),
    // An installation of its own on the Docker engine: never the `medforge` of `npm run up`, whose
    // sessions it would otherwise take for orphans (and the other way round).
    MEDFORGE_INSTANCE: `bench-${suffix}`,
    IDENTITY_DB_NAME: `medforge_bench_identity_${suffix}`,
    SESSION_DB_NAME: `medforge_bench_session_${suffix}`,
    COMPETITION_DB_NAME: `medforge_bench_competition_${suffix}`,
    IDENTITY_URL: `http://127.0.0.1:${basePort + 1}/graphql`,
    SESSION_RUNTIME_URL: `http://127.0.0.1:${basePort + 2}/graphql`,
    COMPETITION_URL: `http://127.0.0.1:${basePort + 3}/graphql`,
    // Benchmarks sign up from one address; keep the brute-force limiter out of the measurement.
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    ...extraEnv,
  };
  const services = [
    ['identity', 'subgraphs/identity/dist/main.js', basePort + 1],
    ['session-runtime', 'subgraphs/session-runtime/dist/main.js', basePort + 2],
    ['competition', 'subgraphs/competition/dist/main.js', basePort + 3],
    ['gateway', 'gateway/dist/main.js', basePort],
  ];
  const children = [];
  const stop = async () => {
    for (const child of children.reverse()) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    }
    const knex = connectDatabase(env);
    for (const name of [env.IDENTITY_DB_NAME, env.SESSION_DB_NAME, env.COMPETITION_DB_NAME]) {
      await knex.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    }
    await knex.destroy();
    removeBenchInstance(env.MEDFORGE_INSTANCE);
  };
  try {
    for (const [name, entry, port] of services) {
      // BENCH_PROFILE_DIR: write a V8 CPU profile of every service, to find where the time goes.
      const profile = process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : [];
      const child = spawn(process.execPath, [...profile, path.join(root, entry)], {
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.name = name;
      children.push(child);
      await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60_000);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gatewayUrl: `http://127.0.0.1:${basePort}`,
    identityUrl: env.IDENTITY_URL,
    secret: SECRET,
    env,
    children,
    stop,
  };
}

/** A knex connection to the MariaDB the stack's settings name; to `database` when given. */
function connectDatabase(env, database) {
  return require('knex')({
    client: 'mysql2',
    connection: {
      host: env.DB_HOST ?? '127.0.0.1',
      port: Number(env.DB_PORT ?? 3306),
      user: env.DB_USER ?? 'medforge',
      password: env.DB_PASSWORD ?? 'medforge-dev',
      ...(database ? { database } : {}),
    },
  });
}

/** A knex connection to one of the stack's databases (`IDENTITY_DB_NAME`, `SESSION_DB_NAME`, ...). */
function benchDatabase(stack, databaseVariable) {
  return connectDatabase(stack.env, stack.env[databaseVariable]);
}

/**
 * Kills one of the stack's services (SIGKILL, as a crash) and starts it again with `extraEnv`, handing
 * each JSON log line it writes to `onLogEntry`; waits until it answers /healthz on `port`.
 */
async function restartService(stack, name, port, extraEnv, onLogEntry) {
  const index = stack.children.findIndex((child) => child.name === name);
  const old = stack.children[index];
  old.kill('SIGKILL');
  await new Promise((resolve) => (old.exitCode !== null || old.signalCode ? resolve() : old.once('exit', resolve)));
  const entry = `${name === 'gateway' ? 'gateway' : `subgraphs/${name}`}/dist/main.js`;
  const child = spawn(process.execPath, [path.join(root, entry)], {
    env: { ...stack.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.name = name;
  stack.children[index] = child;
  require('node:readline')
    .createInterface({ input: child.stdout })
    .on('line', (line) => {
      try {
        onLogEntry(JSON.parse(line));
      } catch {
        // not a log line
      }
    });
  await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60_000);
  return child;
}

module.exports = { benchDatabase, restartService, startBenchStack, root, waitForHealth };
