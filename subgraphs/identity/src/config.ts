import { configFragments, loadConfig, subgraphBase, z } from '@medforge/shared-schema';

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const identityConfigSchema = z.object({
  ...subgraphBase,
  ...configFragments.redis,
  IDENTITY_PORT: configFragments.port(4101),
  IDENTITY_DB_NAME: configFragments.databaseName('medforge_identity'),
  /** Lifetime of a login (its cookie and its server-side row). */
  AUTH_LOGIN_TTL_HOURS: positiveInt(168, 24 * 90),
  /** Failed logins allowed per account within the window before the account is locked for the window. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(5, 1000),
  /** Failed logins and sign-ups allowed per client address within the window (successes never count). */
  LOGIN_MAX_FAILURES_PER_IP: positiveInt(50, 100_000),
  LOGIN_WINDOW_SECONDS: positiveInt(900, 86_400),
  /** `open`: anyone may sign up; `invite`: only with an administrator's invitation link. */
  SIGNUP_MODE: z.enum(['open', 'invite']).default('open'),
  /** scrypt cost (a power of two); 2^15 uses 32 MiB per hash. */
  PASSWORD_SCRYPT_N: z.coerce
    .number()
    .int()
    .refine((n) => n >= 1024 && n <= 1_048_576 && (n & (n - 1)) === 0, { message: 'must be a power of two from 1024' })
    .default(32_768),
});

export type IdentityConfig = z.infer<typeof identityConfigSchema>;

/**
 * Settings renamed, old name -> new: the old name is still read when the new one is unset (a login is not a
 * "session": sessions are the GPU workbenches), and named at start so operators move to the new one.
 */
export const DEPRECATED_SETTINGS: Readonly<Record<string, keyof IdentityConfig>> = {
  AUTH_SESSION_TTL_HOURS: 'AUTH_LOGIN_TTL_HOURS',
};

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): Readonly<IdentityConfig> {
  const renamed = { ...env };
  for (const [old, current] of Object.entries(DEPRECATED_SETTINGS)) {
    if (renamed[current] === undefined && renamed[old] !== undefined) renamed[current] = renamed[old];
  }
  return loadConfig(identityConfigSchema, renamed);
}

/** The deprecated names `env` sets, each with what to use instead. */
export function deprecatedSettingsIn(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(DEPRECATED_SETTINGS)
    .filter(([old]) => env[old] !== undefined)
    .map(([old, current]) => `${old} is deprecated: use ${current}`);
}
