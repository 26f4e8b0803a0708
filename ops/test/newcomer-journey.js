// The newcomer journey: what a new user does on a fresh MedForge, through its public URLs only (Caddy),
// so the same script checks a development stack (`npm run up`) and a production host.
//
//   node ops/test/newcomer-journey.js --base-url http://medforge.localhost:8080 [--resolve 127.0.0.1]
//                                     [--ssh-host HOST] [--timeout-seconds 180] [--screenshots DIR]
//                                     [--report FILE (the step times as JSON)] [--expect-queue]
//
// --resolve sends every request for the platform's hosts (console, s-<slug>.<exposure>.<domain>) to that
// address, like curl --resolve (needed where *.localhost is not in DNS); SSH goes to --ssh-host, else
// to that address, else to the base URL's host. Steps: sign up, sign in, add an SSH key, start an
// EXTERNAL session and follow it to RUNNING over the sessionUpdated subscription, run a command and write
// a file over SSH (and find the competition data mounted read-only), see that file in the code-server
// workbench in Chromium, (with every GPU taken, as on a one-GPU installation) start a second session that
// waits in the queue and starts by itself once the first stops, stop and see the snapshot, find the file in a second session's home (and the
// snapshot at /snapshot), restore the snapshot into the home, then for each competition download its sample
// submission (checksum verified, resumed with a Range request), submit it and follow it to SCORED, and
// find the Titanic one on the leaderboard. Prints each step's time;
// exits non-zero at the first step that fails, saying why.
const { execFileSync } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { createClient } = require('graphql-ws');
const { chromium } = require('playwright-core');
const NodeWebSocket = require('ws');

const { values: args } = parseArgs({
  options: {
    'base-url': { type: 'string', default: 'http://medforge.localhost:8080' },
    resolve: { type: 'string' },
    'ssh-host': { type: 'string' },
    'timeout-seconds': { type: 'string', default: '180' },
    screenshots: { type: 'string', default: path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots') },
    report: { type: 'string', default: path.resolve(__dirname, '..', '..', 'artifacts', 'journey.json') },
    // The queue step needs every GPU taken by the journey's first session (an installation with one GPU,
    // as CI brings it up); without this flag, an installation with GPUs to spare skips it and says so.
    'expect-queue': { type: 'boolean', default: false },
  },
});
const base = new URL(args['base-url']);
const origin = base.origin;
const domain = base.hostname;
const timeoutMs = Number(args['timeout-seconds']) * 1000;
const sshHost = args['ssh-host'] ?? args.resolve ?? domain;
const SESSION_FIELDS = 'id slug status startPhase sshPort errorMessage snapshotName';

// ---- HTTP through the platform's hosts (with --resolve: to that address) --------------------------------

/** DNS as the journey sees it: the platform's own hosts go to --resolve when it is given. */
function lookup(hostname, options, callback) {
  if (args.resolve && (hostname === domain || hostname.endsWith(`.${domain}`))) {
    const family = args.resolve.includes(':') ? 6 : 4;
    return options.all ? callback(null, [{ address: args.resolve, family }]) : callback(null, args.resolve, family);
  }
  return require('node:dns').lookup(hostname, options, callback);
}

let cookie = null;

/** One request; keeps the login cookie like a browser; resolves to { status, headers, body (parsed JSON or text) }. */
/** `asScript`: as an integrator's script sends it, with only `headers` (no cookie, no Origin). */
function request(method, url, { body, headers = {}, asScript = false } = {}) {
  const target = new URL(url, base);
  const client = target.protocol === 'https:' ? https : http;
  const sent = asScript ? { ...headers } : { origin, ...headers };
  if (cookie && !asScript) sent.cookie = cookie;
  let payload = body;
  if (body !== undefined && !Buffer.isBuffer(body)) {
    payload = Buffer.from(JSON.stringify(body));
    sent['content-type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = client.request(target, { method, headers: sent, lookup, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const setCookie = res.headers['set-cookie']?.[0];
        if (setCookie) cookie = setCookie.split(';')[0];
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed, raw: Buffer.concat(chunks) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${target.href} timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.end(payload);
    else req.end();
  });
}

function expectStatus(response, status, what) {
  if (response.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

// ---- live updates over graphql-ws ----------------------------------------------------------------------

function liveClient() {
  const headers = { origin, cookie };
  class CookieWebSocket extends NodeWebSocket {
    constructor(address, protocols) {
      super(address, protocols, { headers, lookup });
    }
  }
  return createClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: CookieWebSocket,
    retryAttempts: 0,
  });
}

/**
 * Subscribes; `until(predicate, what)` resolves with the first payload the predicate accepts (payloads
 * that arrived before the call count too), or rejects at the timeout or on a stream error.
 */
function watch(client, query, variables = {}) {
  const seen = [];
  const waiters = new Set();
  let failure = null;
  const settle = () => {
    for (const waiter of [...waiters]) {
      const hit = seen.find(waiter.predicate);
      if (hit) {
        waiters.delete(waiter);
        waiter.resolve(hit);
      } else if (failure) {
        waiters.delete(waiter);
        waiter.reject(failure);
      }
    }
  };
  const stop = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) failure = new Error(`subscription error: ${JSON.stringify(value.errors)}`);
        else seen.push(value.data);
        settle();
      },
      error: (error) => {
        failure = new Error(`subscription failed: ${error?.message ?? JSON.stringify(error)}`);
        settle();
      },
      complete: () => undefined,
    },
  );
  return {
    stop,
    /** Every payload so far that the predicate accepts, in order. */
    all: (predicate) => seen.filter(predicate),
    until: (predicate, what) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${what} within ${timeoutMs / 1000} s (last event: ${JSON.stringify(seen.at(-1))})`));
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (value) => (clearTimeout(timer), resolve(value)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        };
        waiters.add(waiter);
        settle();
      }),
  };
}

// ---- steps -----------------------------------------------------------------------------------------------

const timings = [];
async function step(name, action) {
  const started = process.hrtime.bigint();
  try {
    const result = await action();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    timings.push({ step: name, seconds });
    console.log(`[journey] ok   ${seconds.toFixed(2).padStart(7)} s  ${name}`);
    return result;
  } catch (error) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.error(`[journey] FAIL ${seconds.toFixed(2).padStart(7)} s  ${name}: ${error.message}`);
    error.reported = true;
    throw error;
  }
}

/**
 * A step that needs every GPU taken: run when none is free, else skipped with the reason (a failure with
 * --expect-queue). Answers the step's result, or null when it was skipped.
 */
async function queueStep(name, action) {
  const availability = expectStatus(
    await request('POST', '/graphql', { body: { query: '{ gpuAvailability { free } }' } }),
    200,
    'GPU availability',
  ).data.gpuAvailability;
  if (availability.free > 0 && !args['expect-queue']) {
    console.log(
      `[journey] skip            ${name} (${availability.free} GPU(s) free: start with MEDFORGE_GPUS=virtual:1)`,
    );
    return null;
  }
  return await step(name, async () => {
    if (availability.free > 0) throw new Error(`${availability.free} GPU(s) free: the installation needs one GPU`);
    return await action();
  });
}

/** The session's SSH host key as a client sees it on `port`. */
function sshHostKey(port) {
  const line = execFileSync('ssh-keyscan', ['-p', String(port), '-t', 'ed25519', sshHost], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const key = line.split(/\s+/).slice(1, 3).join(' ');
  if (!key.startsWith('ssh-ed25519 ')) throw new Error(`no ed25519 host key on port ${port}: ${line}`);
  return key;
}

function ssh(keyFile, port, command) {
  return execFileSync(
    'ssh',
    [
      ...['-i', keyFile, '-p', String(port), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10'],
      ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'],
      `coder@${sshHost}`,
      command,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 },
  );
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * A dataset file as a participant fetches it: the whole file (its SHA-256 and Repr-Digest must match the
 * listing), then its second half again with a Range request, as a resumed download would.
 */
async function downloadVerified(file) {
  const whole = await request('GET', file.downloadUrl);
  if (whole.status !== 200)
    throw new Error(`GET ${file.downloadUrl}: HTTP ${whole.status} ${whole.raw.toString().slice(0, 300)}`);
  if (whole.raw.length !== file.sizeBytes || sha256(whole.raw) !== file.sha256) {
    throw new Error(`${file.name}: ${whole.raw.length} bytes with another SHA-256 than listed`);
  }
  const digest = `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`;
  if (whole.headers['repr-digest'] !== digest)
    throw new Error(`Repr-Digest ${whole.headers['repr-digest']}, expected ${digest}`);
  const half = Math.floor(whole.raw.length / 2);
  const rest = await request('GET', file.downloadUrl, {
    headers: { range: `bytes=${half}-`, 'if-range': whole.headers.etag },
  });
  if (rest.status !== 206 || !rest.raw.equals(whole.raw.subarray(half))) {
    throw new Error(
      `resuming at byte ${half}: HTTP ${rest.status}, ${rest.raw.length} bytes (${rest.headers['content-range']})`,
    );
  }
  return whole.raw;
}

function multipart(field, filename, content) {
  const boundary = `----medforge-journey-${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function main() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mf-journey-'));
  const email = `newcomer-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.org`;
  const password = `journey-${randomBytes(12).toString('hex')}`;
  const keyFile = path.join(scratch, 'id_ed25519');
  let live = null;
  let browser = null;
  console.log(`[journey] ${origin} as ${email}${args.resolve ? ` (hosts resolved to ${args.resolve})` : ''}`);
  try {
    await step('sign up', async () => {
      expectStatus(await request('POST', '/api/v2/auth/signup', { body: { email, password } }), 201, 'sign-up');
      expectStatus(await request('POST', '/api/v2/auth/logout', { body: {} }), 200, 'sign-out');
    });
    const me = await step('sign in', async () => {
      expectStatus(await request('POST', '/api/v2/auth/login', { body: { email, password } }), 200, 'sign-in');
      return expectStatus(await request('GET', '/api/v2/me'), 200, 'me').data;
    });
    await step('an API token works without the browser (no cookie, no Origin) and stops when revoked', async () => {
      const created = expectStatus(
        await request('POST', '/api/v2/me/tokens', { body: { name: 'journey', scopes: ['read', 'submit'] } }),
        201,
        'creating a token',
      ).data;
      const asScript = () =>
        request('GET', '/api/v2/me', { asScript: true, headers: { authorization: `Bearer ${created.token}` } });
      const answer = expectStatus(await asScript(), 200, 'me with the token').data;
      if (answer.id !== me.id) throw new Error(`the token is someone else's: ${JSON.stringify(answer)}`);
      expectStatus(await request('DELETE', `/api/v2/me/tokens/${created.api_token.id}`), 200, 'revoking it');
      expectStatus(await asScript(), 401, 'me with the revoked token');
    });
    await step('add an SSH public key', async () => {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', email, '-f', keyFile]);
      const publicKey = readFileSync(`${keyFile}.pub`, 'utf8').trim();
      expectStatus(
        await request('POST', '/api/v2/me/ssh-keys', { body: { name: 'journey', public_key: publicKey } }),
        201,
        'adding the SSH key',
      );
    });

    live = liveClient();
    const sessionEvents = watch(live, `subscription { sessionUpdated { ${SESSION_FIELDS} } }`);
    const session = await step('start an EXTERNAL session', async () => {
      const created = expectStatus(await request('POST', '/api/v2/external/sessions', { body: {} }), 201, 'start');
      return created.data;
    });
    const running = await step('session RUNNING, its start phases live (sessionUpdated)', async () => {
      const event = await sessionEvents.until(
        (e) => e.sessionUpdated.id === session.id && ['RUNNING', 'ERROR', 'STOPPED'].includes(e.sessionUpdated.status),
        'RUNNING event',
      );
      if (event.sessionUpdated.status !== 'RUNNING') {
        throw new Error(`the session ended ${event.sessionUpdated.status}: ${event.sessionUpdated.errorMessage}`);
      }
      // The console shows a start's phases as they come. Each event carries the session as it is when the
      // event is delivered, so a quick phase may be overtaken; the order never goes back, and the wait for
      // code-server (the longest) is always seen.
      const order = ['ALLOCATING', 'WORKSPACE', 'CONTAINER', 'CODE_SERVER'];
      const phases = sessionEvents
        .all((e) => e.sessionUpdated.id === session.id && e.sessionUpdated.status === 'STARTING')
        .map((e) => e.sessionUpdated.startPhase);
      const ordered = phases.every((p, i) => i === 0 || order.indexOf(p) >= order.indexOf(phases[i - 1]));
      if (!ordered || !phases.includes('CODE_SERVER')) {
        throw new Error(`start phases seen: ${JSON.stringify(phases)}`);
      }
      return event.sessionUpdated;
    });
    const stamp = randomBytes(6).toString('hex');
    let hostKey = '';
    await step('run a command over SSH (with the session environment) and write a workspace file', async () => {
      const output = ssh(
        keyFile,
        running.sshPort,
        `id -u; echo "$MEDFORGE_SESSION_ID $CUDA_VISIBLE_DEVICES"; echo "journey ${stamp}" > /workspace/journey.txt; echo ok`,
      );
      // The same environment as the browser terminal: the session's own variables reach SSH logins.
      if (output !== `1000\n${running.id} 0\nok\n`) {
        throw new Error(`unexpected SSH output: ${JSON.stringify(output)}`);
      }
    });
    await step('set the environment up: a VS Code setting, a pip --user package; the ML stack runs', async () => {
      const output = ssh(
        keyFile,
        running.sshPort,
        'set -e; cd ~; f=.local/share/code-server/User/settings.json; ' +
          `node -e 'const fs=require("fs");const s=JSON.parse(fs.readFileSync(process.argv[1]));s["journey.stamp"]="${stamp}";fs.writeFileSync(process.argv[1],JSON.stringify(s))' $f; ` +
          'mkdir -p /tmp/mfjourney/mfjourney; ' +
          `echo 'VERSION = "${stamp}"' > /tmp/mfjourney/mfjourney/__init__.py; ` +
          `printf 'from setuptools import setup\\nsetup(name="mfjourney", version="1.0", packages=["mfjourney"])\\n' > /tmp/mfjourney/setup.py; ` +
          'pip install --user --no-build-isolation --no-index --quiet /tmp/mfjourney; ' +
          'python3 /usr/local/share/medforge/ml-check.py',
      );
      if (!/^ml check: imports .*torch/m.test(output) || !/^ml check: cpu .*loss/m.test(output)) {
        throw new Error(`the ML check did not pass in the session: ${output}`);
      }
      hostKey = sshHostKey(running.sshPort);
    });
    await step('an SSH key added while the session runs logs in at once', async () => {
      const laterKey = path.join(scratch, 'id_later');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${email} later`, '-f', laterKey]);
      const publicKey = readFileSync(`${laterKey}.pub`, 'utf8').trim();
      expectStatus(
        await request('POST', '/api/v2/me/ssh-keys', { body: { name: 'added later', public_key: publicKey } }),
        201,
        'adding a second SSH key',
      );
      for (let attempt = 1; ; attempt++) {
        try {
          if (ssh(laterKey, running.sshPort, 'echo in') === 'in\n') break;
        } catch (error) {
          if (attempt >= 20) throw new Error(`the new key was not accepted within 10 s: ${error.message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });
    await step('competition data mounted read-only in the session (no holdouts)', async () => {
      const output = ssh(
        keyFile,
        running.sshPort,
        'ls /data; head -1 /data/public-eval/titanic/test.csv; touch /data/training/titanic/x 2>/dev/null || echo read-only',
      );
      const expected =
        'public-eval\ntraining\nPassengerId,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked\nread-only\n';
      if (output !== expected) throw new Error(`unexpected data mount: ${JSON.stringify(output)}`);
    });
    await step('submit from inside the session: medforge submit over SSH, with the session token', async () => {
      const output = ssh(
        keyFile,
        running.sshPort,
        '{ echo PassengerId,Survived; tail -n +2 /data/public-eval/titanic/test.csv | cut -d, -f1 | sed "s/$/,1/"; }' +
          ' > /workspace/from-the-bench.csv && medforge submit titanic-survival /workspace/from-the-bench.csv',
      );
      if (!/^scored: /m.test(output)) throw new Error(`medforge submit did not end scored: ${output}`);
    });
    await step('code-server workbench in Chromium: signed out → sign in → back at the session', async () => {
      const sessionHost = `s-${running.slug}.external.${domain}`;
      const resolverRules = args.resolve
        ? [`--host-resolver-rules=MAP ${domain} ${args.resolve}, MAP *.${domain} ${args.resolve}`]
        : [];
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', ...resolverRules],
      });
      // As a person would: the session's address while signed out leads to the console's sign-in,
      // and signing in there leads back to the session.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const url = `${base.protocol}//${sessionHost}${base.port ? `:${base.port}` : ''}/`;
      try {
        await page.goto(url, { timeout: 60_000 });
        const signIn = new URL(page.url());
        if (signIn.pathname !== '/sign-in' || signIn.searchParams.get('next') !== url) {
          throw new Error(`signed out, ${url} led to ${page.url()} instead of the sign-in page`);
        }
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        // code-server then adds its own ?folder=… to the address.
        await page.waitForURL((at) => at.hostname === sessionHost, { timeout: 60_000 });
        await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
        // The explorer lists the file written over SSH: code-server's websocket works end to end.
        await page.getByRole('treeitem', { name: /journey\.txt/ }).waitFor({ timeout: 90_000 });
      } finally {
        mkdirSync(args.screenshots, { recursive: true });
        await page.screenshot({ path: path.join(args.screenshots, 'journey-workbench.png') }).catch(() => undefined);
        await browser.close();
        browser = null;
      }
    });
    const queued = await queueStep(
      'with every GPU taken, a second start waits in the queue (1st in line, an estimated start)',
      async () => {
        const created = expectStatus(
          await request('POST', '/api/v2/external/sessions', { body: { wait_for_gpu: true, name: 'queued' } }),
          201,
          'start while every GPU is taken',
        ).data;
        if (created.status !== 'QUEUED' || created.queue_position !== 1 || !created.estimated_start_at) {
          throw new Error(`the start did not wait in the queue: ${JSON.stringify(created)}`);
        }
        return created;
      },
    );
    await step('stop the session and see its snapshot', async () => {
      expectStatus(await request('POST', `/api/v2/external/sessions/${session.id}/stop`, { body: {} }), 202, 'stop');
      const event = await sessionEvents.until(
        (e) => e.sessionUpdated.id === session.id && ['STOPPED', 'ERROR'].includes(e.sessionUpdated.status),
        'STOPPED event',
      );
      if (event.sessionUpdated.status !== 'STOPPED') {
        throw new Error(`the session ended ${event.sessionUpdated.status}: ${event.sessionUpdated.errorMessage}`);
      }
      const listed = expectStatus(
        await request('POST', '/graphql', { body: { query: `{ mySessions(limit: 5) { ${SESSION_FIELDS} } }` } }),
        200,
        'my sessions',
      );
      const past = listed.data.mySessions.find((s) => s.id === session.id);
      if (!past?.snapshotName) throw new Error(`no snapshot listed for the stopped session: ${JSON.stringify(past)}`);
      const snapshots = expectStatus(await request('GET', '/api/v2/me/snapshots'), 200, 'my snapshots').data;
      if (snapshots[0]?.session?.id !== session.id || !(snapshots[0].size_bytes > 0)) {
        throw new Error(`the stop snapshot is not listed with its session and size: ${JSON.stringify(snapshots)}`);
      }
    });
    if (queued) {
      await step('the waiting session starts by itself once the GPU is free (sessionUpdated), then stops', async () => {
        const ended = (status) => (e) =>
          e.sessionUpdated.id === queued.id && [status, 'ERROR'].includes(e.sessionUpdated.status);
        const started = (await sessionEvents.until(ended('RUNNING'), 'RUNNING event')).sessionUpdated;
        if (started.status !== 'RUNNING') throw new Error(`the queued session failed: ${started.errorMessage}`);
        expectStatus(await request('POST', `/api/v2/external/sessions/${queued.id}/stop`, { body: {} }), 202, 'stop');
        const stopped = (await sessionEvents.until(ended('STOPPED'), 'STOPPED event')).sessionUpdated;
        if (stopped.status !== 'STOPPED') throw new Error(`the queued session ended ERROR: ${stopped.errorMessage}`);
      });
    }
    const firstSnapshot = expectStatus(await request('GET', '/api/v2/me/snapshots'), 200, 'my snapshots').data.find(
      (snapshot) => snapshot.session?.id === session.id,
    );
    await step('the file is in the next session: home at /workspace, the snapshot read-only at /snapshot', async () => {
      const body = { snapshot_id: firstSnapshot.id };
      const next = expectStatus(await request('POST', '/api/v2/external/sessions', { body }), 201, 'start').data;
      const ended = (status) => (e) =>
        e.sessionUpdated.id === next.id && [status, 'ERROR'].includes(e.sessionUpdated.status);
      const started = (await sessionEvents.until(ended('RUNNING'), 'RUNNING event')).sessionUpdated;
      if (started.status !== 'RUNNING') throw new Error(`the second session failed: ${started.errorMessage}`);
      const output = ssh(
        keyFile,
        started.sshPort,
        'cat /workspace/journey.txt /snapshot/journey.txt; echo changed > /workspace/journey.txt',
      );
      const expected = `journey ${stamp}\njourney ${stamp}\n`;
      if (output !== expected) throw new Error(`/workspace and /snapshot hold ${JSON.stringify(output)}`);
      // The environment came along (HOME lives in the home): the setting, the package, the SSH host key.
      const environment = ssh(
        keyFile,
        started.sshPort,
        'grep -o "\\"journey.stamp\\":\\"[0-9a-f]*\\"" ~/.local/share/code-server/User/settings.json; ' +
          'cd / && python3 -c "import mfjourney; print(mfjourney.VERSION)"',
      );
      if (environment !== `"journey.stamp":"${stamp}"\n${stamp}\n`) {
        throw new Error(`the environment did not carry over: ${JSON.stringify(environment)}`);
      }
      const again = sshHostKey(started.sshPort);
      if (again !== hostKey) throw new Error(`the SSH host key changed: ${hostKey} then ${again}`);
      expectStatus(await request('POST', `/api/v2/external/sessions/${next.id}/stop`, { body: {} }), 202, 'stop');
      const stopped = (await sessionEvents.until(ended('STOPPED'), 'STOPPED event')).sessionUpdated;
      if (stopped.status !== 'STOPPED') throw new Error(`the second session ended ERROR: ${stopped.errorMessage}`);
    });
    await step('restore the first snapshot into the home', async () => {
      const started = expectStatus(
        await request('POST', `/api/v2/me/snapshots/${firstSnapshot.id}/restore`, { body: {} }),
        202,
        'restore',
      ).data;
      for (let polls = 0; ; polls++) {
        const restore = expectStatus(await request('GET', `/api/v2/me/restores/${started.id}`), 200, 'restore').data;
        if (restore.status === 'DONE') break;
        if (restore.status === 'FAILED') throw new Error(`the restore failed: ${restore.error_message}`);
        if (polls >= 120) throw new Error('the restore did not end within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });
    sessionEvents.stop();

    const submissionEvents = watch(live, 'subscription { submissionUpdated { id status primaryScore errorMessage } }');
    const catalog = expectStatus(
      await request('POST', '/graphql', {
        body: { query: '{ competitions { slug sampleSubmission { name sizeBytes sha256 downloadUrl } } }' },
      }),
      200,
      'competitions',
    ).data.competitions;
    const submissions = [];
    for (const competition of catalog) {
      const sample = competition.sampleSubmission;
      if (!sample) throw new Error(`${competition.slug} has no sample submission: is its data installed?`);
      const content = await step(`download the ${competition.slug} sample submission (checksum, resume)`, () =>
        downloadVerified(sample),
      );
      submissions.push(
        await step(`submit it to ${competition.slug}`, async () => {
          const upload = multipart('file', sample.name, content);
          return expectStatus(
            await request('POST', `/api/v2/competitions/${competition.slug}/submissions`, upload),
            201,
            'submission',
          ).data;
        }),
      );
    }
    await step('every submission SCORED (submissionUpdated)', async () => {
      for (const submission of submissions) {
        const event = await submissionEvents.until(
          (e) => e.submissionUpdated.id === submission.id && ['SCORED', 'FAILED'].includes(e.submissionUpdated.status),
          `SCORED event for ${submission.id}`,
        );
        if (event.submissionUpdated.status !== 'SCORED') {
          throw new Error(`the submission FAILED: ${event.submissionUpdated.errorMessage}`);
        }
      }
    });
    submissionEvents.stop();
    await step('on the leaderboard', async () => {
      const answer = expectStatus(
        await request('POST', '/graphql', {
          body: { query: '{ competition(slug: "titanic-survival") { myLeaderboardEntry { rank score } } }' },
        }),
        200,
        'leaderboard',
      );
      const entry = answer.data?.competition?.myLeaderboardEntry;
      if (!entry) throw new Error(`no leaderboard entry for ${me.email}: ${JSON.stringify(answer)}`);
      console.log(`[journey]      rank ${entry.rank}, score ${entry.score}`);
    });
  } finally {
    await browser?.close().catch(() => undefined);
    await live?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  const total = timings.reduce((sum, t) => sum + t.seconds, 0);
  mkdirSync(path.dirname(args.report), { recursive: true });
  writeFileSync(args.report, `${JSON.stringify({ baseUrl: origin, steps: timings, totalSeconds: total }, null, 2)}\n`);
  console.log(`[journey] passed: ${timings.length} steps in ${total.toFixed(2)} s`);
}

main().catch((error) => {
  if (!error.reported) console.error(`[journey] FAIL ${error.stack ?? error}`);
  process.exitCode = 1;
});
