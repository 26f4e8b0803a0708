import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
export const SLUG_PATTERN = /^[a-z2-7]{8}$/;

/** 8 lowercase base32 characters (40 random bits): the session's host name label `s-<slug>`. */
export function newSlug(): string {
  const bytes = randomBytes(8);
  let slug = '';
  for (let i = 0; i < 8; i++) slug += BASE32[bytes[i]! & 31];
  return slug;
}
