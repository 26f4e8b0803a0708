import { testEnv } from '@medforge/shared-schema/testing';

import { deprecatedSettingsIn, loadIdentityConfig } from '../src/config';

describe("identity's settings", () => {
  it('read the login lifetime as AUTH_LOGIN_TTL_HOURS, 7 days unless set', () => {
    expect(loadIdentityConfig(testEnv()).AUTH_LOGIN_TTL_HOURS).toBe(168);
    expect(loadIdentityConfig(testEnv({ AUTH_LOGIN_TTL_HOURS: '12' })).AUTH_LOGIN_TTL_HOURS).toBe(12);
  });

  it('still read the deprecated AUTH_SESSION_TTL_HOURS when the new name is unset, and name it', () => {
    const old = testEnv({ AUTH_SESSION_TTL_HOURS: '48' });
    expect(loadIdentityConfig(old).AUTH_LOGIN_TTL_HOURS).toBe(48);
    expect(deprecatedSettingsIn(old)).toEqual(['AUTH_SESSION_TTL_HOURS is deprecated: use AUTH_LOGIN_TTL_HOURS']);
    // Both set: the new name wins.
    const both = testEnv({ AUTH_SESSION_TTL_HOURS: '48', AUTH_LOGIN_TTL_HOURS: '6' });
    expect(loadIdentityConfig(both).AUTH_LOGIN_TTL_HOURS).toBe(6);
    expect(deprecatedSettingsIn(testEnv())).toEqual([]);
  });

  it('refuse a lifetime out of range under either name', () => {
    expect(() => loadIdentityConfig(testEnv({ AUTH_SESSION_TTL_HOURS: '0' }))).toThrow(/AUTH_LOGIN_TTL_HOURS/);
  });
});
