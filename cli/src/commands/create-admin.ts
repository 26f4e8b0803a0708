import { AdminBootstrap, AuthEvents, PasswordHasher } from '@medforge/identity';
import { createLogger, createRedis, DomainError } from '@medforge/shared-schema';

import type { CliConfig } from '../config';
import { withDatabase } from '../databases';
import { CliError, type Output } from '../output';

/**
 * `medforge create-admin <email>`: the first administrator (or any later one). The password comes from
 * MEDFORGE_ADMIN_PASSWORD or standard input (`--password-stdin`), never from an argument (it would land
 * in shell history and in `ps`).
 */
export async function createAdmin(config: CliConfig, email: string | undefined, password: string | null, out: Output) {
  if (!email)
    throw new CliError(
      'usage: medforge create-admin <email> [--password-stdin]   (or the password in MEDFORGE_ADMIN_PASSWORD)',
    );
  const logger = createLogger('medforge-cli', 'warn');
  const redis = createRedis(config.REDIS_URL, 'medforge-cli');
  try {
    const result = await withDatabase(config, config.IDENTITY_DB_NAME, (knex) =>
      new AdminBootstrap(knex, new PasswordHasher(config.PASSWORD_SCRYPT_N), new AuthEvents(redis, logger)).ensureAdmin(
        email,
        password,
        logger,
      ),
    );
    out.line(`${result.created ? 'created' : 'promoted'} administrator ${result.user.email} (${result.user.id})`);
  } catch (error) {
    if (error instanceof DomainError || (error as Error).message.startsWith('No account')) {
      throw new CliError((error as Error).message);
    }
    throw error;
  } finally {
    redis.disconnect();
  }
}
