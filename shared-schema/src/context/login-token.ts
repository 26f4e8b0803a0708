import { createHash } from 'node:crypto';

/**
 * A login is stored, and looked up, by the SHA-256 of its cookie token, never by the token itself:
 * identity writes the hash when it issues the login, the gateway hashes each cookie it reads.
 */
export function hashLoginToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
