import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The offline dev pack: the id `npm test` built and checked once (MEDFORGE_DEV_PACK_IMAGE), or built on
 * first use by ops/packs/dev/build.sh when a test file runs on its own.
 */
export function devPackImageId(): string {
  const prepared = process.env['MEDFORGE_DEV_PACK_IMAGE'];
  if (prepared) return prepared;
  const script = path.join(REPO, 'ops', 'packs', 'dev', 'build.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/**
 * The dev pack as the umask bug of a fresh `npm run up` once built it: node and code-server readable by
 * root only, so uid 1000 gets `code-server: not found`. Returns its image id.
 */
export function unreadablePackImageId(): string {
  const context = mkdtempSync(path.join(tmpdir(), 'mf-broken-pack-'));
  try {
    writeFileSync(
      path.join(context, 'Dockerfile'),
      [
        `FROM ${devPackImageId()}`,
        'USER 0',
        'RUN chmod -R go-rwx /opt/code-server /usr/local/bin/node',
        'USER 1000:1000',
        '',
      ].join('\n'),
    );
    execFileSync('docker', ['build', '-q', '-t', 'medforge/pack-test-unreadable', context], { stdio: 'pipe' });
    return execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', 'medforge/pack-test-unreadable'], {
      encoding: 'utf8',
    }).trim();
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** ops/packs/check-pack.sh on an image: its exit status and everything it printed. */
export function checkPack(image: string): { status: number; output: string } {
  try {
    const output = execFileSync('bash', [path.join(REPO, 'ops', 'packs', 'check-pack.sh'), image], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}
