import { configFragments, loadConfig } from '@medforge/shared-schema';
import { z } from 'zod';

/** What the command line needs from the environment (the same variables the services read). */
export const cliConfigSchema = z.object({
  ...configFragments.database,
  ...configFragments.redis,
  IDENTITY_DB_NAME: configFragments.databaseName('medforge_identity'),
  SESSION_DB_NAME: configFragments.databaseName('medforge_session'),
  COMPETITION_DB_NAME: configFragments.databaseName('medforge_competition'),
  PASSWORD_SCRYPT_N: z.coerce.number().int().default(32768),
  /** Where the CLI reaches the gateway for commands that go through the API (sessions, rescoring). */
  MEDFORGE_API_URL: z.string().url().default('http://127.0.0.1:4000'),
  /** The console's origin: the API only takes state-changing requests that come from it. */
  MEDFORGE_PUBLIC_URL: z.string().url().default('http://medforge.localhost:8080'),
  /**
   * The API token commands that go through the API use (with the ADMIN scope). Without it, the file
   * MEDFORGE_TOKEN_FILE (default ~/.config/medforge/token) that `create-admin` writes, readable only by
   * its owner.
   */
  MEDFORGE_TOKEN: z.string().optional(),
  MEDFORGE_TOKEN_FILE: z.string().optional(),
  /** `create-admin` only: the new administrator's password (or standard input with --password-stdin). */
  MEDFORGE_ADMIN_PASSWORD: z.string().optional(),
  /** `medforge validate`: connect to this host:port instead of resolving names (like curl --connect-to). */
  VALIDATE_CONNECT_TO: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, { message: 'must be host:port, e.g. 127.0.0.1:443' })
    .optional(),
  VALIDATE_EVIDENCE_DIR: z.string().optional(),
  VALIDATE_START_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(900).default(180),
});

export type CliConfig = z.infer<typeof cliConfigSchema>;

export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CliConfig> {
  return loadConfig(cliConfigSchema, env);
}
