import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseSshPublicKey } from '../src/services/ssh-public-key';

/** A real key made by OpenSSH's own ssh-keygen, with the fingerprint ssh-keygen prints for it. */
function sshKeygen(type: string, bits?: number): { publicKey: string; fingerprint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mf-sshkey-'));
  const file = join(dir, 'key');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    type,
    ...(bits ? ['-b', String(bits)] : []),
    '-N',
    '',
    '-C',
    'ada@laptop',
    '-f',
    file,
  ]);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`])
    .toString()
    .split(' ')[1]!;
  return { publicKey: readFileSync(`${file}.pub`, 'utf8'), fingerprint };
}

/** Builds an ssh-rsa line from a Node-generated key, for sizes ssh-keygen refuses to make. */
function rsaLine(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const mpint = (b64: string) => {
    let bytes = Buffer.from(b64, 'base64url');
    if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return bytes;
  };
  const str = (buf: Buffer) =>
    Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (buf.length >>> (24 - 8 * i)) & 0xff)), buf]);
  const blob = Buffer.concat([str(Buffer.from('ssh-rsa')), str(mpint(jwk.e!)), str(mpint(jwk.n!))]);
  return `ssh-rsa ${blob.toString('base64')}`;
}

describe('SSH public key parsing', () => {
  it.each([
    ['ed25519', undefined, null],
    ['ecdsa', 256, null],
    ['rsa', 3072, 3072],
  ])('accepts a real %s key with the same fingerprint as ssh-keygen', (type, bits, expectedBits) => {
    const key = sshKeygen(type, bits);
    const parsed = parseSshPublicKey(key.publicKey);
    expect(parsed.fingerprint).toBe(key.fingerprint);
    expect(parsed.comment).toBe('ada@laptop');
    expect(parsed.bits).toBe(expectedBits);
    expect(key.publicKey.startsWith(parsed.canonical)).toBe(true);
  });

  it('refuses RSA keys under 2048 bits', () => {
    expect(() => parseSshPublicKey(rsaLine(1024))).toThrow(/at least 2048 bits/);
    expect(parseSshPublicKey(rsaLine(2048)).bits).toBe(2048);
  });

  it.each([
    ['empty', '   ', /empty/],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----', /Unsupported key type/],
    ['authorized_keys options', 'command="rm -rf /" ssh-ed25519 AAAA', /Unsupported key type/],
    ['dsa', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP', /Unsupported key type/],
    ['not base64', 'ssh-ed25519 not*base64', /not base64/],
    ['a type mismatch', `ssh-ed25519 ${rsaLine(2048).split(' ')[1]}`, /does not hold a ssh-ed25519 key/],
    ['truncated data', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO', /does not hold/],
    ['two lines', 'ssh-ed25519 AAAA\nssh-ed25519 AAAA', /exactly one public key/],
    ['an oversized paste', `ssh-ed25519 ${'A'.repeat(20_000)}`, /longer than/],
  ])('refuses %s with a specific message', (_label, text, message) => {
    expect(() => parseSshPublicKey(text)).toThrow(message);
  });
});
