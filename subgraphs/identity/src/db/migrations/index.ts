import type { Migration } from '@medforge/shared-schema';

import { initial } from './0001_initial';
import { sshKeys } from './0002_ssh_keys';
import { loginSessions } from './0003_login_sessions';
import { apiTokens } from './0004_api_tokens';
import { accountLinks } from './0005_account_links';

/** Applied in this order; append, never edit a released migration. */
export const identityMigrations: readonly Migration[] = [initial, sshKeys, loginSessions, apiTokens, accountLinks];
