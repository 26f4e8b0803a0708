import {
  baseContext,
  loaderByIds,
  type BaseSubgraphContext,
  type Logger,
  type RequestContextClaims,
  type SetResponseHeader,
} from '@medforge/shared-schema';
import type DataLoader from 'dataloader';

import type { UserRow } from './db/models/user.model';
import type { AccountLinks } from './services/account-links';
import type { ApiTokens } from './services/api-tokens';
import type { AuthService } from './services/auth-service';
import type { SshKeys } from './services/ssh-keys';
import type { UserAdmin } from './services/user-admin';
import type { UserDirectory } from './services/user-directory';

export interface IdentityServices {
  users: UserDirectory;
  auth: AuthService;
  admin: UserAdmin;
  sshKeys: SshKeys;
  apiTokens: ApiTokens;
  links: AccountLinks;
}

export interface IdentityContext extends BaseSubgraphContext {
  services: IdentityServices;
  /** Per-request batcher: one query for every User the request touches (including federation references). */
  userLoader: DataLoader<string, UserRow | null>;
}

export function buildIdentityContext(
  claims: RequestContextClaims,
  logger: Logger,
  setResponseHeader: SetResponseHeader,
  services: IdentityServices,
): IdentityContext {
  return {
    ...baseContext(claims, logger, setResponseHeader),
    services,
    userLoader: loaderByIds((ids) => services.users.byIds(ids)),
  };
}
