import { randomBytes } from 'node:crypto';

import { DomainError } from '@medforge/shared-schema';

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]+$/;
const MAX_EMAIL = 254;
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 256;
const MAX_DISPLAY_NAME = 64;

/** Emails compare case-insensitively and after Unicode normalization; this is the stored form. */
export function normalizeEmail(raw: string): string {
  const email = raw.normalize('NFKC').trim().toLowerCase();
  if (email.length === 0) throw new DomainError('BAD_USER_INPUT', 'Email is required', { field: 'email' });
  if (email.length > MAX_EMAIL || !EMAIL.test(email)) {
    throw new DomainError('BAD_USER_INPUT', 'Email is not a valid address', { field: 'email' });
  }
  return email;
}

export function validateNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD) {
    throw new DomainError('BAD_USER_INPUT', `Password must be at least ${MIN_PASSWORD} characters`, {
      field: 'password',
    });
  }
  if (password.length > MAX_PASSWORD) {
    throw new DomainError('BAD_USER_INPUT', `Password must be at most ${MAX_PASSWORD} characters`, {
      field: 'password',
    });
  }
}

/**
 * The public name, shown on leaderboards: given (printable, 1-64 characters), or else a neutral
 * `participant-<6 hex>` — never anything derived from the email address.
 */
export function displayNameFor(requested: string | null | undefined): string {
  if (requested === null || requested === undefined || requested.trim() === '') {
    return `participant-${randomBytes(3).toString('hex')}`;
  }
  return validDisplayName(requested);
}

export function validDisplayName(requested: string): string {
  const name = requested.normalize('NFKC').trim();
  if (name.length === 0 || name.length > MAX_DISPLAY_NAME || /\p{C}/u.test(name)) {
    throw new DomainError('BAD_USER_INPUT', `Display name must be 1-${MAX_DISPLAY_NAME} printable characters`, {
      field: 'displayName',
    });
  }
  return name;
}
