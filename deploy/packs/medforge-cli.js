#!/usr/bin/env node
// `medforge` inside a MedForge session: submit predictions to a competition without leaving the
// workbench. The session's own token (MEDFORGE_TOKEN, submit-only, revoked when the session stops) and
// the platform's address (MEDFORGE_URL) are set by MedForge; both can be overridden with a personal
// token. Node.js only, no packages: it ships in every pack.
'use strict';

const { spawn } = require('node:child_process');
const { mkdirSync, openAsBlob, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const USAGE = `usage: medforge submit <competition> <file.csv> [--no-wait]
       medforge keepalive [--hours N]
       medforge keepalive -- <command> [arguments…]
       medforge keepalive --pid <pid>
       medforge reset-environment --yes
       medforge whoami

  submit     uploads predictions (the file must follow the competition's format; see its page), then
             waits for the score unless --no-wait
  keepalive  keeps this session from its idle stop: for N hours (default: one idle period; past the
             maximum runtime the runtime is extended too, up to the installation's limit); or while a
             command you start this way runs (e.g. medforge keepalive -- python train.py), or while
             the process <pid> runs
  reset-environment
             moves your environment (HOME: VS Code settings and extensions, dotfiles, pip --user
             packages, caches, the SSH host key) aside; the next session you start begins afresh
  whoami     who this session submits as

Uses MEDFORGE_URL and MEDFORGE_TOKEN (set in every session; a personal token with the SUBMIT or
KEEPALIVE scope from the console's Account page works too).`;
/** Where a marked process is recorded; MedForge's activity check reads it (KEPT_PROCESSES_DIR). */
const KEPT_PROCESSES_DIR = '/tmp/medforge-keepalive';
/** Where MedForge keeps the user's environment (HOME) in their home (container-runtime PACK_LAYOUT.home). */
const ENVIRONMENT_DIR = '/workspace/.home';
const POLL_MS = 2_000;
const WAIT_MS = 10 * 60_000;

class Refusal extends Error {}

function settings() {
  const url = process.env.MEDFORGE_URL;
  const token = process.env.MEDFORGE_TOKEN;
  if (!url) throw new Refusal('MEDFORGE_URL is not set (it is in every MedForge session)');
  if (!token) {
    throw new Refusal(
      'this session has no MedForge token (it could not be issued at start): create one with the SUBMIT ' +
        'scope on the console (Account → API tokens) and run: export MEDFORGE_TOKEN=<token>',
    );
  }
  return { base: url.replace(/\/+$/, ''), headers: { authorization: `Bearer ${token}` } };
}

/** The API's answer, or a Refusal with its problem+json detail. */
async function call(method, route, body, contentType) {
  const { base, headers } = settings();
  let response;
  try {
    const sent = contentType ? { ...headers, 'content-type': contentType } : headers;
    response = await fetch(`${base}${route}`, { method, headers: sent, body });
  } catch (error) {
    throw new Refusal(`cannot reach MedForge at ${base}: ${error.cause?.message ?? error.message}`);
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: a proxy's error page
  }
  if (!response.ok) {
    const detail = parsed?.detail ?? parsed?.title ?? (text.slice(0, 200) || response.statusText);
    const hint = response.status === 401 ? ' (the token is invalid, expired or revoked)' : '';
    throw new Refusal(`${response.status} ${detail}${hint}`);
  }
  return parsed;
}

async function submit(args) {
  const wait = !args.includes('--no-wait');
  const [slug, file] = args.filter((arg) => !arg.startsWith('--'));
  if (!slug || !file) throw new Refusal(USAGE);
  let size;
  try {
    size = statSync(file).size;
  } catch {
    throw new Refusal(`no file ${file}`);
  }
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const answer = await call('POST', `/api/v2/competitions/${encodeURIComponent(slug)}/submissions`, form);
  const submission = answer.data;
  console.log(`submitted ${path.basename(file)} (${size} bytes) to ${slug}: ${submission.id} ${submission.status}`);
  if (!wait) return;
  const deadline = Date.now() + WAIT_MS;
  for (let last = submission.status; ;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const mine = await call('GET', `/api/v2/competitions/${encodeURIComponent(slug)}/submissions/me?limit=50`);
    const now = mine.data.find((s) => s.id === submission.id);
    if (now && now.status !== last) {
      last = now.status;
      if (now.status === 'SCORED') {
        console.log(`scored: ${now.primary_score} (the leaderboard shows your best score)`);
        return;
      }
      if (now.status === 'FAILED') throw new Refusal(`scoring failed: ${now.error_message}`);
      console.log(now.status.toLowerCase());
    }
    if (Date.now() > deadline) {
      console.log(`still ${last} after ${WAIT_MS / 60_000} minutes; the console shows the result when it comes`);
      return;
    }
  }
}

async function whoami() {
  const me = (await call('GET', '/api/v2/me')).data;
  console.log(`${me.display_name} (${me.email}) at ${settings().base}`);
}

/** This session, as MedForge started it. */
function thisSession() {
  const id = process.env.MEDFORGE_SESSION_ID;
  const exposure = (process.env.MEDFORGE_EXPOSURE || '').toLowerCase();
  if (!id || !['external', 'internal'].includes(exposure)) {
    throw new Refusal('MEDFORGE_SESSION_ID and MEDFORGE_EXPOSURE are not set: run this inside a MedForge session');
  }
  return { id, exposure };
}

async function keepalive(args) {
  const separator = args.indexOf('--');
  if (separator >= 0) return keepWhileRunning(args.slice(separator + 1));
  const pidAt = args.indexOf('--pid');
  if (pidAt >= 0) return markProcess(args[pidAt + 1]);
  const hoursAt = args.indexOf('--hours');
  let hours = null;
  if (hoursAt >= 0) {
    hours = Number(args[hoursAt + 1]);
    if (!Number.isFinite(hours) || hours <= 0) throw new Refusal('--hours needs a number of hours above 0');
  }
  const { id, exposure } = thisSession();
  const body = JSON.stringify(hours === null ? {} : { hours });
  const session = (await call('POST', `/api/v2/${exposure}/sessions/${id}/keepalive`, body, 'application/json')).data;
  const until = new Date(session.keep_alive_until).toISOString().slice(0, 16).replace('T', ' ');
  const runtime = session.max_runtime_stop_at
    ? `; its maximum runtime ends ${new Date(session.max_runtime_stop_at).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : '';
  console.log(`session ${session.slug} is kept running until ${until} UTC${runtime}`);
}

/** Records `pid` as work: the session is not idle while it runs. */
function mark(pid, command) {
  mkdirSync(KEPT_PROCESSES_DIR, { recursive: true });
  writeFileSync(path.join(KEPT_PROCESSES_DIR, String(pid)), command);
}

function markProcess(raw) {
  const pid = Number(raw);
  if (!Number.isInteger(pid) || pid <= 0) throw new Refusal('--pid needs a process id');
  let command;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    throw new Refusal(`no process ${pid} in this session`);
  }
  mark(pid, command);
  console.log(`this session stays busy while ${pid} (${command || 'that process'}) runs`);
}

/** Runs the command with this terminal; the session counts as busy until it ends, and exits as it did. */
function keepWhileRunning(command) {
  if (command.length === 0) throw new Refusal('medforge keepalive -- needs a command to run');
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Refusal(`cannot run ${command[0]}: ${error.message}`)));
    child.once('spawn', () => mark(child.pid, command.join(' ')));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.once('exit', (code, signal) => {
      rmSync(path.join(KEPT_PROCESSES_DIR, String(child.pid)), { force: true });
      process.exitCode = code ?? (signal ? 128 : 1);
      resolve();
    });
  });
}

/** The environment kept in the home (HOME, set by MedForge): moved aside, never deleted. */
function resetEnvironment(args) {
  const home = process.env.HOME;
  if (home !== ENVIRONMENT_DIR) throw new Refusal(`HOME is ${home}, not ${ENVIRONMENT_DIR}: nothing to reset here`);
  if (!args.includes('--yes')) {
    throw new Refusal(
      `this moves ${ENVIRONMENT_DIR} (settings, extensions, dotfiles, pip --user packages, caches) aside; ` +
        'run it again with --yes to do so',
    );
  }
  const aside = `${ENVIRONMENT_DIR}-reset-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(ENVIRONMENT_DIR, aside);
  console.log(
    `moved your environment to ${aside}; stop this session and start a new one to begin with a fresh ` +
      'environment (delete the old folder once you have what you need from it: it counts against your quota)',
  );
}

async function main(argv) {
  const [command, ...args] = argv;
  if (command === 'reset-environment') return resetEnvironment(args);
  if (command === 'submit') return submit(args);
  if (command === 'keepalive') return keepalive(args);
  if (command === 'whoami') return whoami();
  if (command === undefined || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  throw new Refusal(`unknown command "${command}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Refusal ? `medforge: ${error.message}` : error);
  process.exit(1);
});
