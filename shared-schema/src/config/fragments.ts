import { posix } from 'node:path';

import { z } from 'zod';

/**
 * Reusable pieces of service config schemas. Keys are environment variable names; defaults are the
 * development values so that `npm run up` works with no .env, while production sets them explicitly.
 */

/** 0 asks the OS for a free port (tests). */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const runtimeEnv = {
  MEDFORGE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const domain = {
  /** Base domain: the console is served at MEDFORGE_DOMAIN, sessions at s-<slug>.<exposure>.MEDFORGE_DOMAIN. */
  MEDFORGE_DOMAIN: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      message: 'must be a lowercase DNS name such as medforge.example.org',
    })
    .default('medforge.localhost'),
};

export const database = {
  DB_HOST: z.string().default('127.0.0.1'),
  DB_PORT: port(3306),
  DB_USER: z.string().default('medforge'),
  DB_PASSWORD: z.string().default('medforge-dev'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Create the subgraph's database and run its migrations at start (dev, CI); production runs the migrate job. */
  DB_MIGRATE_ON_START: booleanFlag.default(true),
};

export const redis = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379/0'),
};

export const contextSigning = {
  /** HMAC key shared by the gateway (signs) and the subgraphs (verify). */
  CONTEXT_SIGNING_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }),
  /** How long a signed context stays valid; it only has to outlive one gateway-to-subgraph hop. */
  CONTEXT_MAX_AGE_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
};

export const httpListen = {
  HOST: z.string().default('127.0.0.1'),
};

export { booleanFlag };

export const databaseName = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be a lowercase identifier (letters, digits, _)' })
    .default(fallback);

/**
 * The three competition data roots of the spec: training data (with labels), public evaluation data
 * (test inputs, sample submissions), hidden holdout labels. The first two are downloadable and mounted
 * read-only into sessions; the holdouts never are, so no root may lie inside another (`disjointDataRoots`).
 */
export const competitionDataRoots = {
  TRAINING_DATA_ROOT: z.string().min(1).default('/var/lib/medforge/data/training'),
  PUBLIC_EVAL_DATA_ROOT: z.string().min(1).default('/var/lib/medforge/data/public-eval'),
  TEST_HOLDOUTS_DIR: z.string().min(1).default('/var/lib/medforge/holdouts'),
};

const DATA_ROOT_KEYS = ['TRAINING_DATA_ROOT', 'PUBLIC_EVAL_DATA_ROOT', 'TEST_HOLDOUTS_DIR'] as const;

/** superRefine check: the data roots are absolute and none is, or contains, another. */
export function disjointDataRoots(
  config: Partial<Record<(typeof DATA_ROOT_KEYS)[number], string>>,
  ctx: z.RefinementCtx,
): void {
  const roots = DATA_ROOT_KEYS.flatMap((key) => (config[key] ? [{ key, dir: posix.resolve(config[key]) }] : []));
  for (const { key, dir } of roots) {
    if (!posix.isAbsolute(config[key]!)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be an absolute path' });
    }
    for (const other of roots) {
      if (other.key === key) continue;
      const relative = posix.relative(other.dir, dir);
      if (relative === '' || (!relative.startsWith('..') && !posix.isAbsolute(relative))) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `must not lie inside ${other.key} (${other.dir}): the three data roots are disjoint`,
        });
      }
    }
  }
}
