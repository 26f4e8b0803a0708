import { createHash } from 'node:crypto';

import { DomainError } from '@medforge/shared-schema';

/** Key types sshd in the session packs accepts; DSA and short RSA keys are refused. */
const ACCEPTED_TYPES = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);
const MIN_RSA_BITS = 2048;
const MAX_KEY_TEXT = 16 * 1024;

export interface ParsedSshKey {
  type: string;
  /** `type base64` without the comment: what goes into authorized_keys. */
  canonical: string;
  comment: string | null;
  /** OpenSSH-style `SHA256:<base64, no padding>` of the key blob. */
  fingerprint: string;
  bits: number | null;
}

/**
 * Parses one OpenSSH public key line (`type base64 [comment]`), checking that the blob really is a key
 * of the type it claims, so authorized_keys never receives garbage or options such as `command=`.
 */
export function parseSshPublicKey(text: string): ParsedSshKey {
  const line = text.trim();
  if (line.length === 0) throw invalid('Public key is empty');
  if (line.length > MAX_KEY_TEXT) throw invalid(`Public key is longer than ${MAX_KEY_TEXT} characters`);
  if (/[\r\n]/.test(line)) throw invalid('Paste exactly one public key (one line)');
  const [type, data, ...commentParts] = line.split(/\s+/);
  if (!type || !ACCEPTED_TYPES.has(type)) {
    throw invalid(
      `Unsupported key type ${JSON.stringify(type ?? '')}: use one of ${[...ACCEPTED_TYPES].join(', ')} ` +
        '(a private key or an authorized_keys line with options is not accepted)',
    );
  }
  if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw invalid('Key data is not base64');
  const blob = Buffer.from(data, 'base64');
  const fields = readSshStrings(blob);
  if (!fields || fields[0]?.toString('latin1') !== type) {
    throw invalid(`Key data does not hold a ${type} key`);
  }
  const bits = type === 'ssh-rsa' ? rsaModulusBits(fields) : null;
  if (type === 'ssh-rsa' && (bits === null || bits < MIN_RSA_BITS)) {
    throw invalid(`RSA keys must have at least ${MIN_RSA_BITS} bits`);
  }
  if (type === 'ssh-ed25519' && fields[1]?.length !== 32) throw invalid('Ed25519 key data has the wrong length');
  const comment = commentParts.join(' ').slice(0, 255) || null;
  return {
    type,
    canonical: `${type} ${blob.toString('base64')}`,
    comment,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    bits,
  };
}

/** Splits an SSH wire-format blob into its length-prefixed strings; null if the framing is broken. */
function readSshStrings(blob: Buffer): Buffer[] | null {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) return null;
    const length = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + length > blob.length) return null;
    out.push(blob.subarray(offset, offset + length));
    offset += length;
  }
  return out.length >= 2 ? out : null;
}

function rsaModulusBits(fields: Buffer[]): number | null {
  const modulus = fields[2];
  if (!modulus || fields.length !== 3) return null;
  let start = 0;
  while (start < modulus.length && modulus[start] === 0) start++;
  if (start === modulus.length) return null;
  return (modulus.length - start - 1) * 8 + (32 - Math.clz32(modulus[start]!));
}

function invalid(message: string): DomainError {
  return new DomainError('BAD_USER_INPUT', message, { field: 'publicKey' });
}
