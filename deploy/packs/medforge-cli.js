#!/usr/bin/env node
// `medforge` inside a MedForge session: submit predictions to a competition without leaving the
// workbench. The session's own token (MEDFORGE_TOKEN, submit-only, revoked when the session stops) and
// the platform's address (MEDFORGE_URL) are set by MedForge; both can be overridden with a personal
// token. Node.js only, no packages: it ships in every pack.
'use strict';

const { openAsBlob, statSync } = require('node:fs');
const path = require('node:path');

const USAGE = `usage: medforge submit <competition> <file.csv> [--no-wait]
       medforge whoami

  submit   uploads predictions (the file must follow the competition's format; see its page), then
           waits for the score unless --no-wait
  whoami   who this session submits as

Uses MEDFORGE_URL and MEDFORGE_TOKEN (set in every session; a personal token with the SUBMIT scope
from the console's Account page works too).`;
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
async function call(method, route, body) {
  const { base, headers } = settings();
  let response;
  try {
    response = await fetch(`${base}${route}`, { method, headers, body });
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

async function main(argv) {
  const [command, ...args] = argv;
  if (command === 'submit') return submit(args);
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
