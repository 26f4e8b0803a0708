import { createHmac } from 'node:crypto';

import { DomainError, type RequestContextClaims, signContext, verifyContext } from '../src';

const SECRET = 'a'.repeat(40);
const actor = { userId: 'u-1', role: 'user' as const, canUseInternal: false };

function claims(overrides: Partial<RequestContextClaims> = {}): RequestContextClaims {
  return { requestId: 'req_1', actor, issuedAt: Date.now(), ...overrides };
}

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONTEXT_SIGNATURE_INVALID');
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('signed request context', () => {
  it('round-trips claims for authenticated and anonymous requests', () => {
    const signed = claims();
    expect(verifyContext(signContext(signed, SECRET), SECRET, 30_000)).toEqual(signed);
    const anonymous = claims({ actor: null });
    expect(verifyContext(signContext(anonymous, SECRET), SECRET, 30_000)).toEqual(anonymous);
  });

  it('rejects a missing or malformed header', () => {
    expect(rejection(() => verifyContext(undefined, SECRET, 30_000))).toMatch(/missing/);
    expect(rejection(() => verifyContext('garbage', SECRET, 30_000))).toMatch(/malformed/);
    expect(rejection(() => verifyContext('v2.a.b', SECRET, 30_000))).toMatch(/malformed/);
  });

  it('rejects a header signed with another secret', () => {
    const forged = signContext(claims(), 'b'.repeat(40));
    expect(rejection(() => verifyContext(forged, SECRET, 30_000))).toMatch(/signature does not match/);
  });

  it('rejects a body altered after signing (privilege escalation attempt)', () => {
    const [version, , signature] = signContext(claims(), SECRET).split('.');
    const escalated = Buffer.from(JSON.stringify(claims({ actor: { ...actor, role: 'admin' } }))).toString('base64url');
    expect(rejection(() => verifyContext(`${version}.${escalated}.${signature}`, SECRET, 30_000))).toMatch(
      /signature does not match/,
    );
  });

  it('rejects an expired context and one issued in the future', () => {
    const now = Date.now();
    const old = signContext(claims({ issuedAt: now - 31_000 }), SECRET);
    expect(rejection(() => verifyContext(old, SECRET, 30_000, now))).toMatch(/expired/);
    const future = signContext(claims({ issuedAt: now + 60_000 }), SECRET);
    expect(rejection(() => verifyContext(future, SECRET, 30_000, now))).toMatch(/future/);
  });

  it('rejects a correctly signed body with the wrong shape', () => {
    const body = Buffer.from(JSON.stringify({ requestId: 'r', actor: { userId: 'u', role: 'root' } })).toString(
      'base64url',
    );
    const mac = createHmac('sha256', SECRET).update(`v1.${body}`).digest('base64url');
    expect(rejection(() => verifyContext(`v1.${body}.${mac}`, SECRET, 30_000))).toMatch(/wrong shape/);
  });
});
