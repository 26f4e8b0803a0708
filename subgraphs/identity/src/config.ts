import { configFragments, loadConfig, subgraphBase, z } from '@medforge/shared-schema';

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const identityConfigSchema = z.object({
  ...subgraphBase,
  ...configFragments.redis,
  IDENTITY_PORT: configFragments.port(4101),
  IDENTITY_DB_NAME: configFragments.databaseName('medforge_identity'),
  /** Lifetime of a login (cookie and server-side session). */
  AUTH_SESSION_TTL_HOURS: positiveInt(168, 24 * 90),
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

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): Readonly<IdentityConfig> {
  return loadConfig(identityConfigSchema, env);
}
