import { z } from 'zod';

import { ConfigError, configFragments, loadConfig } from '../src';

const schema = z.object({
  ...configFragments.runtimeEnv,
  ...configFragments.database,
  ...configFragments.contextSigning,
  ...configFragments.domain,
  GATEWAY_PORT: configFragments.port(4000),
});

describe('loadConfig', () => {
  it('applies defaults and coerces numbers and flags', () => {
    const config = loadConfig(schema, { CONTEXT_SIGNING_SECRET: 'x'.repeat(32), DB_MIGRATE_ON_START: 'false' });
    expect(config.GATEWAY_PORT).toBe(4000);
    expect(config.DB_PORT).toBe(3306);
    expect(config.DB_MIGRATE_ON_START).toBe(false);
    expect(config.MEDFORGE_DOMAIN).toBe('medforge.localhost');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every missing and malformed variable in one error, hiding secret values', () => {
    let error: unknown;
    try {
      loadConfig(schema, {
        GATEWAY_PORT: 'eighty',
        DB_PORT: '70000',
        MEDFORGE_ENV: 'staging',
        MEDFORGE_DOMAIN: 'Not A Domain',
        DB_PASSWORD: '',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/CONTEXT_SIGNING_SECRET is missing/);
    expect(problems).toMatch(/GATEWAY_PORT="eighty" is invalid/);
    expect(problems).toMatch(/DB_PORT="70000" is invalid/);
    expect(problems).toMatch(/MEDFORGE_ENV="staging" is invalid/);
    expect(problems).toMatch(/MEDFORGE_DOMAIN="Not A Domain" is invalid: must be a lowercase DNS name/);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('masks the value of a secret that is present but too short', () => {
    expect(() => loadConfig(schema, { CONTEXT_SIGNING_SECRET: 'short-secret' })).toThrow(
      /CONTEXT_SIGNING_SECRET="\*\*\*" is invalid: must be at least 32 characters/,
    );
  });

  it('treats blank values as missing', () => {
    expect(() => loadConfig(schema, { CONTEXT_SIGNING_SECRET: '   ' })).toThrow(/CONTEXT_SIGNING_SECRET is missing/);
  });
});
