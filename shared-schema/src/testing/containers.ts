import { execFileSync } from 'node:child_process';

/**
 * Removes every session container of one installation instance (label `dev.medforge.instance`). Sessions
 * deliberately survive a control-plane stop; a test stack must not leave its own behind.
 */
export function removeInstanceContainers(instance: string): void {
  const ids = execFileSync(
    'docker',
    ['ps', '-aq', '--filter', 'label=dev.medforge.managed=true', '--filter', `label=dev.medforge.instance=${instance}`],
    { encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean);
  if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'pipe' });
}
