import { displayNameFor, normalizeEmail, validateNewPassword } from '../src/services/account-input';
import { PasswordHasher } from '../src/services/password-hasher';

describe('account input', () => {
  it('normalizes emails: trims, lowercases, NFKC', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.ORG ')).toBe('ada.lovelace@example.org');
    expect(normalizeEmail('ｕｓｅｒ@example.org')).toBe('user@example.org');
  });

  it.each(['', 'no-at-sign', 'a@b', 'two@@example.org', 'spa ce@example.org', `${'x'.repeat(250)}@ex.org`])(
    'rejects the email %j',
    (email) => {
      expect(() => normalizeEmail(email)).toThrow(/Email is (required|not a valid address)/);
    },
  );

  it('bounds password length', () => {
    expect(() => validateNewPassword('short')).toThrow(/at least 10/);
    expect(() => validateNewPassword('x'.repeat(257))).toThrow(/at most 256/);
    expect(() => validateNewPassword('correct horse battery')).not.toThrow();
  });

  it('derives and validates display names', () => {
    // Public on leaderboards: never derived from the email address.
    expect(displayNameFor(null)).toMatch(/^participant-[0-9a-f]{6}$/);
    expect(displayNameFor('  ')).toMatch(/^participant-/);
    expect(displayNameFor('  Ada L. ')).toBe('Ada L.');
    expect(() => displayNameFor('bell\u0007')).toThrow(/printable/);
    expect(() => displayNameFor('x'.repeat(65))).toThrow(/1-64/);
  });
});

describe('scrypt password hashes', () => {
  const hasher = new PasswordHasher(16_384);

  it('verifies the right password and refuses others', async () => {
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(hasher.verify('correct horse battery', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct horse batterY', stored)).resolves.toBe(false);
  });

  it('salts every hash and keeps working when the cost is raised later', async () => {
    const a = await hasher.hash('same password here');
    const b = await hasher.hash('same password here');
    expect(a).not.toBe(b);
    await expect(new PasswordHasher(32_768).verify('same password here', a)).resolves.toBe(true);
  });

  it('rejects malformed stored hashes without throwing', async () => {
    await expect(hasher.verify('x', 'bcrypt$whatever')).resolves.toBe(false);
    await expect(hasher.verify('x', '')).resolves.toBe(false);
  });
});
