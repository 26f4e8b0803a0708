import { launchSubgraph, type SubgraphApp } from '@medforge/shared-schema';

import { createIdentityAdapters, type IdentityAdapters, identityNeedsRedis } from './adapters/identity-adapters';
import type { IdentityConfig } from './config';
import { buildIdentityContext, type IdentityServices } from './context';
import { identityMigrations } from './db/migrations';
import { buildIdentitySchema } from './schema/build-schema';
import { AccountLinks } from './services/account-links';
import { ApiTokens } from './services/api-tokens';
import { AuthService } from './services/auth-service';
import { LoginLimiter } from './services/login-limiter';
import { PasswordHasher } from './services/password-hasher';
import { SshKeys } from './services/ssh-keys';
import { UserAdmin } from './services/user-admin';
import { UserDirectory } from './services/user-directory';

export type IdentityApp = SubgraphApp<IdentityServices>;

/**
 * The identity composition root. Adapters default to Redis and the system clock; a test passes its own
 * for any of them (with all of them given, identity opens no Redis connection).
 */
export function startIdentity(
  config: Readonly<IdentityConfig>,
  adapters: Partial<IdentityAdapters> = {},
): Promise<IdentityApp> {
  return launchSubgraph({
    name: 'identity',
    config,
    port: config.IDENTITY_PORT,
    databaseName: config.IDENTITY_DB_NAME,
    migrations: identityMigrations,
    buildSchema: buildIdentitySchema,
    ...(identityNeedsRedis(adapters) ? { redisUrl: config.REDIS_URL } : {}),
    createServices: (knex, logger, redis) => {
      const { events, failureBudgets, clock } = createIdentityAdapters(redis, logger, adapters);
      const limiter = new LoginLimiter(failureBudgets, {
        maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
        windowSeconds: config.LOGIN_WINDOW_SECONDS,
      });
      const hasher = new PasswordHasher(config.PASSWORD_SCRYPT_N);
      const links = new AccountLinks(knex, hasher, limiter, events, clock);
      return Promise.resolve({
        users: new UserDirectory(knex),
        auth: new AuthService(
          knex,
          { hasher, limiter, events, links, clock },
          { loginTtlMs: config.AUTH_LOGIN_TTL_HOURS * 3_600_000, signUpMode: config.SIGNUP_MODE },
        ),
        links,
        admin: new UserAdmin(knex, events, clock),
        sshKeys: new SshKeys(knex, (userId) => events.sshKeysChanged({ userId })),
        apiTokens: new ApiTokens(knex, events, clock),
      });
    },
    buildContext: buildIdentityContext,
  });
}
