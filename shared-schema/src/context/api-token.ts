import { randomBytes } from 'node:crypto';

/**
 * What an API token may do. A token carries one or more; with ADMIN (only an administrator's) it acts
 * with its owner's administrator rights, without it as an ordinary user even when the owner is an admin.
 * KEEPALIVE only keeps running sessions from idle stops (a training script's token needs no more).
 */
export const API_SCOPES = ['read', 'submit', 'sessions', 'admin', 'keepalive'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * `mf_pat_` for personal tokens people create, `mf_ses_` for the token a workbench session gets (SUBMIT
 * and KEEPALIVE, for that session only); then 32 random bytes (base64url). The prefix lets secret scanners and people recognise a leaked
 * token; like logins, tokens are stored and looked up by their SHA-256 (hashLoginToken), never as is.
 */
export type ApiTokenKind = 'pat' | 'ses';
const TOKEN_PATTERN = /^mf_(pat|ses)_[A-Za-z0-9_-]{43}$/;

export function generateApiToken(kind: ApiTokenKind): string {
  return `mf_${kind}_${randomBytes(32).toString('base64url')}`;
}

export function isApiTokenFormat(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** The part of a token that may be shown again later (`mf_pat_AbCd`), to tell tokens apart. */
export function apiTokenPrefix(token: string): string {
  return token.slice(0, 11);
}
