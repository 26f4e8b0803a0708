import { decodeIssuedLogin, FailureBudget, hashLoginToken, ISSUE_LOGIN_HEADER } from '@medforge/shared-schema';
import {
  dropDatabase,
  ManualClock,
  postGraphQL,
  serviceHeaders,
  signedHeaders,
  testDatabaseOptions,
  testEnv,
} from '@medforge/shared-schema/testing';

import { type IdentityApp, loadIdentityConfig, startIdentity } from '../../src';
import { RecordingAuthEvents } from '../fakes/recording-auth-events';

/**
 * Identity composed with adapters of the test's own: announcements recorded, failure budgets in memory, a
 * clock the test moves. No Redis connection is opened (REDIS_URL points nowhere), and login expiry
 * follows the given clock, not the machine's.
 */
describe('identity with adapters given by the caller', () => {
  const db = testDatabaseOptions('identity_adapters');
  const events = new RecordingAuthEvents();
  const clock = new ManualClock(new Date());
  let app: IdentityApp;

  beforeAll(async () => {
    const config = loadIdentityConfig(
      testEnv({
        IDENTITY_PORT: '0',
        IDENTITY_DB_NAME: db.database,
        REDIS_URL: 'redis://127.0.0.1:1/0', // nothing listens: any use of Redis would fail the test
        AUTH_LOGIN_TTL_HOURS: '1',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '2',
      }),
    );
    app = await startIdentity(config, {
      events,
      failureBudgets: (_prefix, limits) => FailureBudget.inMemory(limits),
      clock,
    });
  });

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(db);
  });

  const signUp = async (email: string): Promise<string> => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: signedHeaders(null),
      body: JSON.stringify({
        query: 'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
        variables: { input: { email, password: 'correct horse battery' } },
      }),
    });
    const issued = decodeIssuedLogin(response.headers.get(ISSUE_LOGIN_HEADER) ?? '');
    if (!issued) throw new Error(`sign-up failed: ${await response.text()}`);
    return issued.token;
  };
  const resolve = async (token: string) => {
    const { body } = await postGraphQL<{ resolveLoginSession: { userId: string; loginSessionId: string } | null }>(
      app.url,
      'query($h: String!) { resolveLoginSession(tokenHash: $h) { userId loginSessionId } }',
      { h: hashLoginToken(token) },
      serviceHeaders('gateway'),
    );
    return body.data?.resolveLoginSession ?? null;
  };

  it('ends a login when the given clock passes its expiry', async () => {
    const token = await signUp('clock@example.org');
    expect(await resolve(token)).not.toBeNull();
    clock.advance(59 * 60_000);
    expect(await resolve(token)).not.toBeNull();
    clock.advance(2 * 60_000);
    expect(await resolve(token)).toBeNull();
  });

  it('announces a logout through the given sink', async () => {
    const login = (await resolve(await signUp('sink@example.org')))!;
    const actor = {
      userId: login.userId,
      role: 'user' as const,
      canUseInternal: false,
      loginSessionId: login.loginSessionId,
    };
    const { body } = await postGraphQL(app.url, 'mutation { logout }', {}, signedHeaders(actor));
    expect(body.data).toEqual({ logout: true });
    expect(events.invalidations).toEqual([{ userId: login.userId, loginSessionId: login.loginSessionId }]);
  });

  it('spends the given failure budget', async () => {
    await signUp('budget@example.org');
    const login = (password: string) =>
      postGraphQL(
        app.url,
        'mutation($input: LoginInput!) { login(input: $input) { user { id } } }',
        { input: { email: 'budget@example.org', password } },
        signedHeaders(null),
      );
    for (let i = 0; i < 2; i++) {
      const { body } = await login('wrong password here');
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    const { body } = await login('correct horse battery');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
  });
});
