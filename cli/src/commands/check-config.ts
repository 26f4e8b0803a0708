import { competitionConfigSchema, scoringWorkerConfigSchema } from '@medforge/competition';
import { gatewayConfigSchema } from '@medforge/gateway';
import { identityConfigSchema } from '@medforge/identity';
import { sessionRuntimeConfigSchema } from '@medforge/session-runtime';
import { ConfigError, loadConfig } from '@medforge/shared-schema';
import type { z } from 'zod';

import { CliError, type Output } from '../output';

const SERVICES: Array<[string, z.ZodObject]> = [
  ['identity', identityConfigSchema],
  ['session-runtime', sessionRuntimeConfigSchema],
  ['competition', competitionConfigSchema],
  ['scoring-worker', scoringWorkerConfigSchema],
  ['gateway', gatewayConfigSchema],
];

/** Settings that work in development but are wrong on a production host. */
const PRODUCTION_RULES: Array<[string, (env: NodeJS.ProcessEnv) => string | null]> = [
  [
    'database password is not the development default',
    (env) =>
      !env['DB_PASSWORD'] || env['DB_PASSWORD'] === 'medforge-dev' ? 'DB_PASSWORD is unset or medforge-dev' : null,
  ],
  [
    'the console is served over HTTPS',
    (env) =>
      env['MEDFORGE_PUBLIC_URL']?.startsWith('https://')
        ? null
        : `MEDFORGE_PUBLIC_URL=${env['MEDFORGE_PUBLIC_URL'] ?? '(unset)'}`,
  ],
  [
    'GPUs come from nvidia-smi',
    (env) =>
      env['MEDFORGE_GPUS'] === 'nvidia-smi' ? null : `MEDFORGE_GPUS=${env['MEDFORGE_GPUS'] ?? '(unset: virtual:7)'}`,
  ],
  [
    'workspaces are ZFS datasets',
    (env) =>
      env['WORKSPACE_BACKEND'] === 'zfs'
        ? null
        : `WORKSPACE_BACKEND=${env['WORKSPACE_BACKEND'] ?? '(unset: directory)'}`,
  ],
  [
    'the gateway trusts only Caddy for forwarded headers',
    (env) =>
      env['TRUSTED_PROXIES'] && !/loopback/.test(env['TRUSTED_PROXIES'])
        ? null
        : `TRUSTED_PROXIES=${env['TRUSTED_PROXIES'] ?? '(unset: loopback)'}`,
  ],
  [
    'migrations run in the migrate job, not at service start',
    (env) =>
      env['DB_MIGRATE_ON_START'] === 'false'
        ? null
        : `DB_MIGRATE_ON_START=${env['DB_MIGRATE_ON_START'] ?? '(unset: true)'}`,
  ],
];

/**
 * `medforge check-config`: every service's settings as that service would read them, then (with
 * MEDFORGE_ENV=production) the rules a production host must follow. Prints PASS/FAIL per check and
 * fails when any check does.
 */
export function checkConfig(env: NodeJS.ProcessEnv, out: Output): void {
  let failures = 0;
  for (const [service, schema] of SERVICES) {
    try {
      loadConfig(schema, env);
      out.line(`PASS  ${service} settings`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      failures++;
      out.line(`FAIL  ${service} settings`);
      error.problems.forEach((problem) => out.line(`        ${problem}`));
    }
  }
  if (env['MEDFORGE_ENV'] === 'production') {
    for (const [rule, check] of PRODUCTION_RULES) {
      const problem = check(env);
      if (problem) failures++;
      out.line(problem ? `FAIL  ${rule}: ${problem}` : `PASS  ${rule}`);
    }
  } else {
    out.line(`note  MEDFORGE_ENV=${env['MEDFORGE_ENV'] ?? 'development'}: production rules not applied`);
  }
  if (failures > 0) throw new CliError(`${failures} check${failures === 1 ? '' : 's'} failed`);
}
