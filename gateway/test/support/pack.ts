import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The offline dev pack (built on first use by ops/packs/dev/build.sh; later calls only look it up). */
export function devPackImageId(): string {
  const script = path.resolve(__dirname, '..', '..', '..', 'ops', 'packs', 'dev', 'build.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
