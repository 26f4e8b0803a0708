import { DomainError } from '@medforge/shared-schema';

const MAX_NAME = 64;

/**
 * A session's name as its owner gave it: trimmed, without control characters, 1-64 characters; empty
 * means unnamed (null).
 */
export function sessionName(raw: string | null | undefined): string | null {
  // eslint-disable-next-line no-control-regex
  const clean = (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean === '') return null;
  if (clean.length > MAX_NAME) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `A session name is at most ${MAX_NAME} characters; this one has ${clean.length}`,
    );
  }
  return clean;
}
