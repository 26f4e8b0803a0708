// Set up around every unit test file (jest.preset.js, setupFilesAfterEnv): a unit test needs no MariaDB,
// Redis, Docker, ZFS or network. Reaching any of them fails the test with what it reached, so a test that
// does belongs in the package's test/integration/ (run by `npm run test:integration`, beside the real
// services). Node's core modules are shared by every test file a jest worker runs, whatever its project:
// the guard is taken down after the file, or it would refuse the next file's real services.
/* global afterAll */
'use strict';

const net = require('node:net');
const childProcess = require('node:child_process');
const path = require('node:path');
const { promisify } = require('node:util');

const MOVE = 'unit tests use no infrastructure: put this test in test/integration/';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
/** Well-known ports of the services tests must not reach from here, even on loopback. */
const SERVICE_PORTS = new Map([
  [3306, 'MariaDB'],
  [6379, 'Redis'],
]);
const INFRASTRUCTURE_COMMANDS = new Set([
  'docker',
  'zfs',
  'zpool',
  'mysql',
  'mariadb',
  'redis-cli',
  'caddy',
  'chromium',
]);

function refuse(what) {
  throw new Error(`${what}: ${MOVE}`);
}

/** net.Socket#connect's arguments, as (options) or (port, host) or (path). */
function target(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') return first;
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { port: Number(first), host: typeof args[1] === 'string' ? args[1] : 'localhost' };
}

const restores = [];
/** Replaces `owner[name]` with `guarded(original)` until the file ends. */
function guard(owner, name, guarded) {
  const original = owner[name];
  owner[name] = guarded(original);
  restores.push(() => {
    owner[name] = original;
  });
}

guard(
  net.Socket.prototype,
  'connect',
  (connect) =>
    function guardedConnect(...args) {
      const { path: socketPath, port, host = 'localhost' } = target(args);
      if (socketPath) {
        if (/docker\.sock|mysqld|redis/.test(socketPath)) refuse(`connect to ${socketPath}`);
      } else {
        if (!LOOPBACK.has(host)) refuse(`connect to ${host}:${port}`);
        if (SERVICE_PORTS.has(Number(port))) refuse(`connect to ${SERVICE_PORTS.get(Number(port))} (port ${port})`);
      }
      return connect.apply(this, args);
    },
);

/** The program a child_process call runs: the file itself, or a shell command's first word. */
const programOf = {
  file: (command) => path.basename(String(command)),
  shell: (command) => path.basename(String(command).trim().split(/\s+/)[0]),
};

for (const [name, kind] of [
  ['spawn', 'file'],
  ['spawnSync', 'file'],
  ['execFile', 'file'],
  ['execFileSync', 'file'],
  ['exec', 'shell'],
  ['execSync', 'shell'],
]) {
  guard(childProcess, name, (original) => {
    const check = (command) => {
      if (INFRASTRUCTURE_COMMANDS.has(programOf[kind](command))) refuse(`run ${command}`);
    };
    const guarded = function guardedRun(command, ...rest) {
      check(command);
      return original.call(this, command, ...rest);
    };
    // execFile and exec resolve to { stdout, stderr } under util.promisify through this symbol: keep it.
    const promised = original[promisify.custom];
    if (promised) {
      guarded[promisify.custom] = function guardedPromise(command, ...rest) {
        try {
          check(command);
        } catch (error) {
          return Promise.reject(error);
        }
        return promised.call(this, command, ...rest);
      };
    }
    return guarded;
  });
}

afterAll(() => {
  for (const restore of restores.splice(0)) restore();
});
