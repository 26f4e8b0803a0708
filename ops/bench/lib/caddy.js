// A throwaway Caddy for benchmarks: the given site blocks on loopback, no admin API, no automatic HTTPS,
// its state in a temporary folder.
const { spawn } = require('node:child_process');
const { mkdtempSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function startCaddy(siteBlocks) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-caddy-'));
  const caddyfile = path.join(dir, 'Caddyfile');
  writeFileSync(caddyfile, `{\n\tadmin off\n\tauto_https off\n}\n${siteBlocks}`);
  const caddy = spawn('caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    env: { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return { stop: () => new Promise((resolve) => (caddy.kill('SIGTERM'), caddy.once('exit', resolve))) };
}

module.exports = { startCaddy };
