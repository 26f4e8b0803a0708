import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';
import { makeAdmin } from '../testkit/seed';

type ActorName = 'anonymous' | 'user' | 'other' | 'admin' | 'disabled' | 'expired' | 'forged';
const ACTORS: ActorName[] = ['anonymous', 'user', 'other', 'admin', 'disabled', 'expired', 'forged'];

function freshPublicKey(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-matrix-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
  return readFileSync(join(dir, 'k.pub'), 'utf8');
}

function outcome(response: { status: number; body: any }): string {
  const error = response.body?.errors?.[0];
  return error ? (error.extensions?.code as string) : 'ok';
}

describe('auth matrix over every identity operation', () => {
  let stack: TestStack;
  const clients = {} as Record<ActorName, ApiClient>;
  const ids = {} as Record<'user' | 'other' | 'admin' | 'disabled' | 'victim', string>;
  let userKeyId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    const make = () => new ApiClient(stack.gateway.url);
    for (const name of ACTORS) clients[name] = make();
    ids.user = await clients.user.signUp(uniqueEmail('user'));
    ids.other = await clients.other.signUp(uniqueEmail('other'));
    ids.admin = await clients.admin.signUp(uniqueEmail('admin'));
    ids.disabled = await clients.disabled.signUp(uniqueEmail('disabled'));
    ids.victim = await make().signUp(uniqueEmail('victim'));
    const expiredId = await clients.expired.signUp(uniqueEmail('expired'));
    await makeAdmin(stack, ids.admin);
    await stack.identity
      .knex('login_sessions')
      .where({ user_id: expiredId })
      .update({ expires_at: new Date(Date.now() - 1) });
    clients.forged.cookie = 'mf_session=' + 'A'.repeat(43);
    expect((await clients.disabled.get('/api/v2/me')).status).toBe(200); // cached as signed in ...
    const disable = await clients.admin.post(`/api/v2/admin/users/${ids.disabled}/disable`);
    expect(disable.status).toBe(200); // ... and disabling must end that at once.
    const key = await clients.user.post('/api/v2/me/ssh-keys', { name: 'laptop', public_key: freshPublicKey() });
    expect(key.status).toBe(201);
    userKeyId = key.body.data.id;
  });

  afterAll(() => stack?.stop());

  const expectations: Array<[string, (actor: ActorName) => Promise<string>, Record<ActorName, string>]> = [
    [
      'me',
      async (a) => {
        const r = await clients[a].graphql('{ me { id } }');
        return r.body.data?.me ? 'ok' : outcome(r) === 'ok' ? 'null' : outcome(r);
      },
      { anonymous: 'null', user: 'ok', other: 'ok', admin: 'ok', disabled: 'null', expired: 'null', forged: 'null' },
    ],
    [
      'user(id) public profile',
      async (a) =>
        outcome(await clients[a].graphql('query($id: ID!) { user(id: $id) { displayName } }', { id: ids.user })),
      { anonymous: 'ok', user: 'ok', other: 'ok', admin: 'ok', disabled: 'ok', expired: 'ok', forged: 'ok' },
    ],
    [
      'user(id) private fields',
      async (a) =>
        outcome(
          await clients[a].graphql('query($id: ID!) { user(id: $id) { email role canUseInternal sshKeys { id } } }', {
            id: ids.user,
          }),
        ),
      {
        anonymous: 'UNAUTHENTICATED',
        user: 'ok',
        other: 'FORBIDDEN',
        admin: 'ok',
        disabled: 'UNAUTHENTICATED',
        expired: 'UNAUTHENTICATED',
        forged: 'UNAUTHENTICATED',
      },
    ],
    [
      'users (admin list)',
      async (a) => outcome(await clients[a].graphql('{ users { total users { id email } } }')),
      {
        anonymous: 'UNAUTHENTICATED',
        user: 'FORBIDDEN',
        other: 'FORBIDDEN',
        admin: 'ok',
        disabled: 'UNAUTHENTICATED',
        expired: 'UNAUTHENTICATED',
        forged: 'UNAUTHENTICATED',
      },
    ],
    [
      'setUserInternalAccess',
      async (a) =>
        outcome(
          await clients[a].graphql('mutation($id: ID!) { setUserInternalAccess(userId: $id, allowed: true) { id } }', {
            id: ids.victim,
          }),
        ),
      {
        anonymous: 'UNAUTHENTICATED',
        user: 'FORBIDDEN',
        other: 'FORBIDDEN',
        admin: 'ok',
        disabled: 'UNAUTHENTICATED',
        expired: 'UNAUTHENTICATED',
        forged: 'UNAUTHENTICATED',
      },
    ],
    [
      'setUserDisabled',
      async (a) =>
        outcome(
          await clients[a].graphql('mutation($id: ID!) { setUserDisabled(userId: $id, disabled: false) { id } }', {
            id: ids.victim,
          }),
        ),
      {
        anonymous: 'UNAUTHENTICATED',
        user: 'FORBIDDEN',
        other: 'FORBIDDEN',
        admin: 'ok',
        disabled: 'UNAUTHENTICATED',
        expired: 'UNAUTHENTICATED',
        forged: 'UNAUTHENTICATED',
      },
    ],
    [
      'addSshKey',
      async (a) =>
        outcome(
          await clients[a].graphql('mutation($i: AddSshKeyInput!) { addSshKey(input: $i) { id } }', {
            i: { name: `k-${a}`, publicKey: freshPublicKey() },
          }),
        ),
      {
        anonymous: 'UNAUTHENTICATED',
        user: 'ok',
        other: 'ok',
        admin: 'ok',
        disabled: 'UNAUTHENTICATED',
        expired: 'UNAUTHENTICATED',
        forged: 'UNAUTHENTICATED',
      },
    ],
    [
      "deleteSshKey of user's key (other actors first; the owner last)",
      async (a) => outcome(await clients[a].graphql('mutation($id: ID!) { deleteSshKey(id: $id) }', { id: userKeyId })),
      {
        anonymous: 'UNAUTHENTICATED',
        other: 'NOT_FOUND',
        admin: 'NOT_FOUND',
        disabled: 'UNAUTHENTICATED',
        expired: 'UNAUTHENTICATED',
        forged: 'UNAUTHENTICATED',
        user: 'ok',
      },
    ],
    [
      'logout (a signed-out request has nothing to end)',
      async (a) => {
        if (a === 'user' || a === 'other' || a === 'admin')
          return 'skipped: ends the login the rest of the matrix uses';
        const r = await clients[a].graphql('mutation { logout }');
        return r.body.data?.logout === false ? 'false' : outcome(r);
      },
      {
        anonymous: 'false',
        user: 'skipped: ends the login the rest of the matrix uses',
        other: 'skipped: ends the login the rest of the matrix uses',
        admin: 'skipped: ends the login the rest of the matrix uses',
        disabled: 'false',
        expired: 'false',
        forged: 'false',
      },
    ],
  ];

  it.each(expectations)('%s', async (_name, run, expected) => {
    const actual: Record<string, string> = {};
    const order = Object.keys(expected) as ActorName[];
    for (const actor of order) actual[actor] = await run(actor);
    expect(actual).toEqual(expected);
  });

  it('refuses to let an admin disable themself', async () => {
    const r = await clients.admin.post(`/api/v2/admin/users/${ids.admin}/disable`);
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('You cannot disable your own account');
  });

  it('lets a disabled user with the right password learn only that the account is disabled', async () => {
    const email = (await stack.identity.knex('users').where({ id: ids.disabled }).first()).email;
    const r = await new ApiClient(stack.gateway.url).post('/api/v2/auth/login', {
      email,
      password: 'correct horse battery',
    });
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/disabled/);
  });

  it('takes an entitlement change into account on the next request', async () => {
    const before = await clients.user.get('/api/v2/me');
    expect(before.body.data.can_use_internal).toBe(false);
    expect(
      (await clients.admin.post(`/api/v2/admin/users/${ids.user}/internal-access`, { allowed: true })).status,
    ).toBe(200);
    const after = await clients.user.get('/api/v2/me');
    expect(after.body.data.can_use_internal).toBe(true);
  });

  it('pages and searches the admin user list over REST', async () => {
    const r = await clients.admin.get('/api/v2/admin/users?limit=2&search=VICTIM');
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(1);
    expect(r.body.meta).toMatchObject({ total: 1, limit: 2, offset: 0 });
    expect((await clients.user.get('/api/v2/admin/users')).status).toBe(403);
    expect((await clients.anonymous.get('/api/v2/admin/users')).status).toBe(401);
  });
});
