import { hostname } from 'node:os';

import { AdminBootstrap, ApiTokens, PasswordHasher, RedisAuthEvents } from '@medforge/identity';
import { API_SCOPES, createLogger, createRedis, DomainError } from '@medforge/shared-schema';

import type { CliConfig } from '../config';
import { storedToken, storeToken } from '../credentials';
import { withDatabase } from '../databases';
import { CliError, type Output } from '../output';

/**
 * `medforge create-admin <email>`: the first administrator (or any later one). The password comes from
 * MEDFORGE_ADMIN_PASSWORD or standard input (`--password-stdin`), never from an argument (it would land
 * in shell history and in `ps`). It also gives the CLI its credential: an API token of that administrator
 * with every scope, in a file only the operator can read (MEDFORGE_TOKEN_FILE, ~/.config/medforge/token),
 * replacing (and revoking) the token an earlier run left there.
 */
export async function createAdmin(config: CliConfig, email: string | undefined, password: string | null, out: Output) {
  if (!email)
    throw new CliError(
      'usage: medforge create-admin <email> [--password-stdin]   (or the password in MEDFORGE_ADMIN_PASSWORD)',
    );
  const logger = createLogger('medforge-cli', 'warn');
  const redis = createRedis(config.REDIS_URL, 'medforge-cli');
  try {
    const { result, file } = await withDatabase(config, config.IDENTITY_DB_NAME, async (knex) => {
      const events = new RedisAuthEvents(redis, logger);
      const result = await new AdminBootstrap(knex, new PasswordHasher(config.PASSWORD_SCRYPT_N), events).ensureAdmin(
        email,
        password,
        logger,
      );
      const tokens = new ApiTokens(knex, events);
      const previous = storedToken(config);
      const { token } = await tokens.create(
        result.user,
        { name: `medforge CLI on ${hostname()}`, scopes: API_SCOPES, expiresInDays: null },
        logger,
      );
      const file = storeToken(config, token);
      if (previous) await tokens.revokeSecret(previous);
      return { result, file };
    });
    out.line(`${result.created ? 'created' : 'promoted'} administrator ${result.user.email} (${result.user.id})`);
    out.line(`the CLI's API token for this administrator is in ${file} (readable by you only)`);
  } catch (error) {
    if (error instanceof DomainError || (error as Error).message.startsWith('No account')) {
      throw new CliError((error as Error).message);
    }
    throw error;
  } finally {
    redis.disconnect();
  }
}
