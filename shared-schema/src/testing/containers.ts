import { execFileSync } from 'node:child_process';

/**
 * Removes what one test installation instance left on the Docker engine: its session containers (label
 * `dev.medforge.instance`) and its claim on the instance name (the volume session-runtime's
 * DockerRuntime names `medforge-instance-<instance>`). Sessions deliberately survive a control-plane
 * stop; a test stack must not leave its own behind.
 */
export function removeTestInstance(instance: string): void {
  const ids = execFileSync(
    'docker',
    ['ps', '-aq', '--filter', 'label=dev.medforge.managed=true', '--filter', `label=dev.medforge.instance=${instance}`],
    { encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean);
  if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'pipe' });
  execFileSync('docker', ['volume', 'rm', '-f', `medforge-instance-${instance}`], { stdio: 'pipe' });
}
