import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { isApiTokenFormat } from '@medforge/shared-schema';

import type { CliConfig } from './config';
import { CliError } from './output';

/** Where `create-admin` keeps the CLI's token: MEDFORGE_TOKEN_FILE, or ~/.config/medforge/token. */
export function tokenFilePath(config: Pick<CliConfig, 'MEDFORGE_TOKEN_FILE'>): string {
  return config.MEDFORGE_TOKEN_FILE ?? join(homedir(), '.config', 'medforge', 'token');
}

/**
 * The token API commands authenticate with: MEDFORGE_TOKEN, else the token file. Never a password: a
 * token can be scoped, listed and revoked, and using it counts against no sign-in limit.
 */
export function cliToken(config: Pick<CliConfig, 'MEDFORGE_TOKEN' | 'MEDFORGE_TOKEN_FILE'>): string {
  const file = tokenFilePath(config);
  let token = config.MEDFORGE_TOKEN?.trim();
  if (!token) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch {
      throw new CliError(
        `no API token: set MEDFORGE_TOKEN to a token with the ADMIN scope (console: Account → API tokens), ` +
          `or run "medforge create-admin <email>" on the host, which keeps one in ${file}`,
      );
    }
  }
  if (!isApiTokenFormat(token)) {
    throw new CliError(
      `${config.MEDFORGE_TOKEN ? 'MEDFORGE_TOKEN' : file} does not hold a MedForge API token (mf_pat_…)`,
    );
  }
  return token;
}

/** The token in the token file, if there is a readable one (to revoke it when it is replaced). */
export function storedToken(config: Pick<CliConfig, 'MEDFORGE_TOKEN_FILE'>): string | null {
  try {
    const token = readFileSync(tokenFilePath(config), 'utf8').trim();
    return isApiTokenFormat(token) ? token : null;
  } catch {
    return null;
  }
}

/** Writes the token file readable by its owner only (the directory too), replacing any earlier one. */
export function storeToken(config: Pick<CliConfig, 'MEDFORGE_TOKEN_FILE'>, token: string): string {
  const file = tokenFilePath(config);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
  return file;
}
