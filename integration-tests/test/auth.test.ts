import { hashLoginToken } from '@medforge/shared-schema';
import { ApiClient, type ApiResponse, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';

describe('sign-up, login, logout and me through the gateway', () => {
  let stack: TestStack;
  const client = () => new ApiClient(stack.gateway.url);

  beforeAll(async () => {
    stack = await startTestStack({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
  });
  afterAll(() => stack?.stop());

  it('signs up with an HTTP-only, SameSite=Lax cookie whose token is stored only as its SHA-256', async () => {
    const ada = client();
    const email = uniqueEmail('Ada');
    const response = await ada.post('/api/v2/auth/signup', {
      email: `  ${email.toUpperCase()} `,
      password: 'correct horse battery',
      display_name: 'Ada',
    });
    expect(response.status).toBe(201);
    expect(response.body.data.user).toMatchObject({
      email,
      display_name: 'Ada',
      role: 'USER',
      can_use_internal: false,
      disabled: false,
    });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      /^mf_session=[A-Za-z0-9_-]{43}; Domain=medforge\.localhost; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Expires=/,
    );
    expect(setCookie).not.toMatch(/Secure/); // plain-HTTP development URL
    expect(JSON.stringify(response.body)).not.toContain(ada.cookie!.split('=')[1]);
    const token = ada.cookie!.split('=')[1]!;
    const stored = await stack.identity.knex('login_sessions').where({ user_id: response.body.data.user.id });
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(hashLoginToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const me = await ada.get('/api/v2/me');
    expect(me.status).toBe(200);
    expect(me.body.data.email).toBe(email);
  });

  it('answers /me with 401 when signed out', async () => {
    const response = await client().get('/api/v2/me');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'Sign in to do this' });
  });

  it('logs in, and logout revokes the session at once (even though the gateway caches it)', async () => {
    const email = uniqueEmail('grace');
    await client().signUp(email);
    const grace = client();
    const login = await grace.post('/api/v2/auth/login', { email, password: 'correct horse battery' });
    expect(login.status).toBe(200);
    const cookie = grace.cookie;
    expect((await grace.get('/api/v2/me')).status).toBe(200); // now cached in the gateway
    const logout = await grace.post('/api/v2/auth/logout');
    expect(logout.body.data).toEqual({ signed_out: true });
    expect(logout.headers.get('set-cookie')).toMatch(/^mf_session=; .*Max-Age=0/);
    const replay = new ApiClient(stack.gateway.url);
    replay.cookie = cookie;
    expect((await replay.get('/api/v2/me')).status).toBe(401);
    const row = await stack.identity
      .knex('login_sessions')
      .where({ token_hash: hashLoginToken(cookie!.split('=')[1]!) })
      .first();
    expect(row.revoked_at).not.toBeNull();
  });

  it('answers bad credentials identically for a wrong password and an unknown account', async () => {
    const email = uniqueEmail('known');
    await client().signUp(email);
    const wrongPassword = await client().post('/api/v2/auth/login', { email, password: 'not the password' });
    const unknown = await client().post('/api/v2/auth/login', {
      email: uniqueEmail('nobody'),
      password: 'not the password',
    });
    for (const response of [wrongPassword, unknown]) {
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'Email or password is incorrect' });
    }
  });

  it('refuses a duplicate sign-up, case-insensitively, with a clear conflict', async () => {
    const email = uniqueEmail('dup');
    await client().signUp(email);
    const again = await client().post('/api/v2/auth/signup', {
      email: email.toUpperCase(),
      password: 'another password!',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONFLICT', field: 'email' });
  });

  it('creates exactly one account from 50 concurrent sign-ups with the same email', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        client().post('/api/v2/auth/signup', { email, password: 'correct horse battery' }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(await stack.identity.knex('users').where({ email }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('validates sign-up input field by field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ email: 'not-an-email', password: 'correct horse battery' }, /Email is not a valid address/],
      [{ email: uniqueEmail('short'), password: 'short' }, /at least 10 characters/],
      [{ email: 42, password: 'correct horse battery' }, /email must be a string/],
      [{ email: uniqueEmail('nm'), password: 'correct horse battery', display_name: 'x'.repeat(65) }, /Display name/],
      [[], /Request body must be a JSON object/],
    ];
    for (const [body, detail] of cases) {
      const response = await client().post('/api/v2/auth/signup', body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('BAD_USER_INPUT');
      expect(response.body.detail).toMatch(detail);
    }
  });

  it('locks an account after repeated failures, even for the right password, and says for how long', async () => {
    const email = uniqueEmail('locked');
    await client().signUp(email);
    const attacker = client();
    for (let i = 0; i < 3; i++) {
      expect((await attacker.post('/api/v2/auth/login', { email, password: 'guess number ' + i })).status).toBe(401);
    }
    const locked = await client().post('/api/v2/auth/login', { email, password: 'correct horse battery' });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    expect(locked.body.detail).toMatch(/Too many failed sign-ins for this account; try again in \d+ seconds?/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits failures per client address, says the true wait, and never counts successes', async () => {
    const limited = await startTestStack({ LOGIN_MAX_FAILURES_PER_IP: '4', LOGIN_WINDOW_SECONDS: '600' });
    try {
      // A lab behind one address: many successful sign-ups and logins are never limited.
      const lab = new ApiClient(limited.gateway.url);
      for (let i = 0; i < 6; i++) {
        const email = uniqueEmail(`lab${i}`);
        expect((await lab.post('/api/v2/auth/signup', { email, password: 'correct horse battery' })).status).toBe(201);
        expect((await lab.post('/api/v2/auth/login', { email, password: 'correct horse battery' })).status).toBe(200);
      }
      const bot = new ApiClient(limited.gateway.url);
      const statuses: number[] = [];
      let refused: ApiResponse | null = null;
      for (let i = 0; i < 6; i++) {
        const r = await bot.post('/api/v2/auth/login', { email: uniqueEmail(`ip${i}`), password: 'whatever123' });
        statuses.push(r.status);
        if (r.status === 429) refused = r;
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      // The block lasts the rest of the window, and the answer says so (not "1 second").
      const retryAfter = Number(refused!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(590);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(refused!.body.detail).toMatch(
        new RegExp(`Too many failed sign-ins from your address; try again in ${retryAfter} seconds`),
      );
      const elsewhere = new ApiClient(limited.gateway.url);
      expect(
        (await elsewhere.post('/api/v2/auth/login', { email: uniqueEmail('ok'), password: 'whatever123' })).status,
      ).toBe(401);
    } finally {
      await limited.stop();
    }
  });

  it('expires logins: an expired cookie is anonymous', async () => {
    const kim = client();
    const userId = await kim.signUp(uniqueEmail('kim'));
    await stack.identity
      .knex('login_sessions')
      .where({ user_id: userId })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect((await kim.get('/api/v2/me')).status).toBe(401);
  });
});
