// Built into every MedForge pack: shows the notice MedForge writes into the session (a coming stop) as
// a workbench notification, with "Keep running" (medforge keepalive). Plain JavaScript, no dependencies.
'use strict';

const { execFile } = require('node:child_process');
const { readFile } = require('node:fs');
const vscode = require('vscode');

/** Written by session-runtime (container-runtime NOTICE_FILE); removed when the notice is withdrawn. */
const NOTICE_FILE = '/tmp/medforge-notice.json';
const POLL_MS = 2000;
const KEEP_RUNNING = 'Keep running';

let shown = null;

function showNotice() {
  readFile(NOTICE_FILE, 'utf8', (error, text) => {
    if (error) return; // none, or withdrawn
    let notice;
    try {
      notice = JSON.parse(text);
    } catch {
      return; // being replaced; the next look reads it whole
    }
    if (!notice || typeof notice.message !== 'string' || notice.at === shown) return;
    shown = notice.at;
    const actions = notice.kind === 'stop-warning' ? [KEEP_RUNNING] : [];
    vscode.window.showWarningMessage(`MedForge: ${notice.message}`, ...actions).then((choice) => {
      if (choice === KEEP_RUNNING) keepRunning();
    });
  });
}

function keepRunning() {
  execFile('/usr/local/bin/medforge', ['keepalive'], { timeout: 30_000 }, (error, stdout, stderr) => {
    if (error) vscode.window.showErrorMessage(`MedForge: ${(stderr || error.message).trim()}`);
    else vscode.window.showInformationMessage(`MedForge: ${stdout.trim()}`);
  });
}

function activate(context) {
  showNotice();
  // A read every two seconds (fs.watchFile's stat polling misses a file created after it started).
  const timer = setInterval(showNotice, POLL_MS);
  context.subscriptions.push({ dispose: () => clearInterval(timer) });
}

function deactivate() {}

module.exports = { activate, deactivate };
