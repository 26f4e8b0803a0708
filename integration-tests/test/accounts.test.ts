import { hashLoginToken } from '@medforge/shared-schema';

import { ApiClient, DEFAULT_PASSWORD, uniqueEmail } from '../testkit/client';
import { makeAdmin } from '../testkit/seed';
import { startTestStack, type TestStack } from '../testkit/stack';

const codeOf = (response: { body: any }) => response.body.errors?.[0]?.extensions?.code ?? 'ok';
const fieldOf = (response: { body: any }) => response.body.errors?.[0]?.extensions?.field;
const NEW_PASSWORD = 'a brand new passphrase';

describe('accounts people can manage: names, passwords, reset links, roles, invitations', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let adminId: string;

  const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token') ?? '';
  const inviteOf = (path: string) => new URL(path, 'http://x').searchParams.get('invite') ?? '';
  const signIn = async (email: string, password: string) => {
    const client = new ApiClient(stack.gateway.url);
    const response = await client.post('/api/v2/auth/login', { email, password });
    return { client, status: response.status };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    admin = new ApiClient(stack.gateway.url);
    adminId = await admin.signUp(uniqueEmail('acct-admin'));
    await makeAdmin(stack, adminId);
  }, 60_000);

  afterAll(() => stack?.stop());

  it('gives a neutral public name by default, never the email, and lets people change it', async () => {
    const ada = new ApiClient(stack.gateway.url);
    const email = uniqueEmail('ada.lovelace');
    const id = await ada.signUp(email);
    const name = (await ada.graphql(`{ user(id: "${id}") { displayName } }`)).body.data.user.displayName;
    expect(name).toMatch(/^participant-[0-9a-f]{6}$/);
    expect(name).not.toContain(email.split('@')[0]);

    const renamed = await ada.graphql('mutation { updateProfile(displayName: "  Ada L. ") { displayName } }');
    expect(renamed.body.data.updateProfile.displayName).toBe('Ada L.');
    const bad = await ada.graphql('mutation($n: String!) { updateProfile(displayName: $n) { id } }', {
      n: 'x'.repeat(65),
    });
    expect([codeOf(bad), fieldOf(bad)]).toEqual(['BAD_USER_INPUT', 'displayName']);
  });

  it('changes a password given the current one, ending the other logins', async () => {
    const email = uniqueEmail('changer');
    const laptop = new ApiClient(stack.gateway.url);
    await laptop.signUp(email);
    const { client: desktop } = await signIn(email, DEFAULT_PASSWORD);
    const change = (current: string, next: string) =>
      laptop.graphql('mutation($i: ChangePasswordInput!) { changePassword(input: $i) }', {
        i: { currentPassword: current, newPassword: next },
      });

    const wrong = await change('not my password', NEW_PASSWORD);
    expect([codeOf(wrong), fieldOf(wrong)]).toEqual(['BAD_USER_INPUT', 'currentPassword']);
    const short = await change(DEFAULT_PASSWORD, 'short');
    expect([codeOf(short), fieldOf(short)]).toEqual(['BAD_USER_INPUT', 'newPassword']);
    expect((await change(DEFAULT_PASSWORD, NEW_PASSWORD)).body.data.changePassword).toBe(true);

    expect((await laptop.get('/api/v2/me')).status).toBe(200); // this login stays ...
    expect((await desktop.get('/api/v2/me')).status).toBe(401); // ... the others end
    expect((await signIn(email, DEFAULT_PASSWORD)).status).toBe(401);
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
  });

  it('resets a password with a one-time link an administrator hands over', async () => {
    const email = uniqueEmail('forgetful');
    const user = new ApiClient(stack.gateway.url);
    const userId = await user.signUp(email);
    const create = (client: ApiClient) =>
      client.graphql('mutation($u: ID!) { createPasswordResetLink(userId: $u) { path expiresAt } }', { u: userId });
    expect(
      codeOf(await user.graphql('mutation($u: ID!) { createPasswordResetLink(userId: $u) { path } }', { u: userId })),
    ).toBe('FORBIDDEN');
    const first = (await create(admin)).body.data.createPasswordResetLink;
    const link = (await create(admin)).body.data.createPasswordResetLink; // replaces the first
    expect(link.path).toMatch(/^\/reset-password\?token=[A-Za-z0-9_-]{43}$/);

    const visitor = new ApiClient(stack.gateway.url);
    const reset = (token: string) =>
      visitor.graphql('mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { user { id } } }', {
        i: { token, newPassword: NEW_PASSWORD },
      });
    const replaced = await reset(tokenOf(first.path));
    expect([codeOf(replaced), fieldOf(replaced)]).toEqual(['BAD_USER_INPUT', 'token']);
    const used = await reset(tokenOf(link.path));
    expect(used.body.data.resetPassword.user.id).toBe(userId);
    expect((await visitor.get('/api/v2/me')).body.data.id).toBe(userId); // signed in by the reset
    expect((await user.get('/api/v2/me')).status).toBe(401); // every earlier login ended
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
    expect(codeOf(await reset(tokenOf(link.path)))).toBe('BAD_USER_INPUT'); // once only
    expect(codeOf(await reset('garbage'))).toBe('BAD_USER_INPUT');
  });

  it('promotes and demotes, never oneself; an open login gets the new role at once', async () => {
    const user = new ApiClient(stack.gateway.url);
    const userId = await user.signUp(uniqueEmail('promotee'));
    const setRole = (client: ApiClient, id: string, role: string) =>
      client.graphql(`mutation { setUserRole(userId: "${id}", role: ${role}) { role } }`);
    expect(codeOf(await setRole(user, userId, 'ADMIN'))).toBe('FORBIDDEN');
    expect((await setRole(admin, userId, 'ADMIN')).body.data.setUserRole.role).toBe('ADMIN');
    expect((await user.get('/api/v2/admin/users')).status).toBe(200);
    const self = await setRole(admin, adminId, 'USER');
    expect(self.body.errors[0].message).toBe('You cannot demote yourself; another administrator can');
    const rest = await admin.post(`/api/v2/admin/users/${userId}/role`, { role: 'user' });
    expect(rest.status).toBe(200);
    expect(rest.body.data.role).toBe('USER');
    expect((await user.get('/api/v2/admin/users')).status).toBe(403);
    expect((await admin.post(`/api/v2/admin/users/${userId}/role`, { role: 'owner' })).status).toBe(400);
  });

  it('invites: bound to an address and a role, used once, revocable, listed for admins', async () => {
    const invitee = uniqueEmail('invitee');
    const invite = await admin.graphql(
      'mutation($i: CreateInviteInput!) { createInvite(input: $i) { id path expiresAt } }',
      { i: { email: invitee, role: 'ADMIN', expiresInDays: 3 } },
    );
    const { id, path } = invite.body.data.createInvite;
    expect(path).toMatch(/^\/sign-in\?invite=/);
    const signUp = (email: string, inviteToken: string) =>
      new ApiClient(stack.gateway.url).graphql(
        'mutation($i: SignUpInput!) { signUp(input: $i) { user { id role } } }',
        { i: { email, password: DEFAULT_PASSWORD, inviteToken } },
      );
    const stranger = await signUp(uniqueEmail('stranger'), inviteOf(path));
    expect(stranger.body.errors[0].message).toBe('This invitation is for another email address');
    expect((await signUp(invitee, inviteOf(path))).body.data.signUp.user.role).toBe('ADMIN');
    expect(codeOf(await signUp(uniqueEmail('late'), inviteOf(path)))).toBe('FORBIDDEN');

    const open = await admin.graphql('mutation { createInvite(input: {}) { id path } }');
    const openId = open.body.data.createInvite.id;
    expect(
      (await admin.graphql(`mutation { revokeInvite(id: "${openId}") { revokedAt } }`)).body.data.revokeInvite
        .revokedAt,
    ).toEqual(expect.any(String));
    expect(codeOf(await signUp(uniqueEmail('revoked'), inviteOf(open.body.data.createInvite.path)))).toBe('FORBIDDEN');
    const listed = (await admin.graphql('{ invites { id email role usedAt revokedAt } }')).body.data.invites;
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id, email: invitee, role: 'ADMIN', usedAt: expect.any(String) }),
        expect.objectContaining({ id: openId, revokedAt: expect.any(String) }),
      ]),
    );
    expect(codeOf(await new ApiClient(stack.gateway.url).graphql('{ invites { id } }'))).toBe('UNAUTHENTICATED');
    const taken = await admin.graphql('mutation($e: String) { createInvite(input: { email: $e }) { id } }', {
      e: invitee,
    });
    expect(codeOf(taken)).toBe('CONFLICT');
  });
});

describe('sign-up by invitation only (SIGNUP_MODE=invite)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ SIGNUP_MODE: 'invite' });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('refuses a sign-up without an invitation and accepts one with it', async () => {
    const visitor = new ApiClient(stack.gateway.url);
    expect((await visitor.graphql('{ signUpMode }')).body.data.signUpMode).toBe('INVITE');
    const refused = await visitor.post('/api/v2/auth/signup', {
      email: uniqueEmail('walk-in'),
      password: DEFAULT_PASSWORD,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/by invitation/);

    // The first administrator comes from the host (medforge create-admin); here, straight in the database.
    const admin = new ApiClient(stack.gateway.url);
    const adminEmail = uniqueEmail('root');
    await stack.identity.knex('users').insert({
      id: crypto.randomUUID(),
      email: adminEmail,
      display_name: 'root',
      password_hash: 'not used: this administrator never signs in with a password',
      role: 'admin',
    });
    const adminId = (await stack.identity.knex('users').where({ email: adminEmail }).first()).id;
    await stack.identity.knex('login_sessions').insert({
      id: crypto.randomUUID(),
      user_id: adminId,
      token_hash: hashLoginToken('A'.repeat(43)),
      expires_at: new Date(Date.now() + 3_600_000),
    });
    admin.cookie = `mf_session=${'A'.repeat(43)}`;
    const invite = await admin.graphql('mutation { createInvite(input: { expiresInDays: 1 }) { path } }');
    const token = new URL(invite.body.data.createInvite.path, 'http://x').searchParams.get('invite');
    const accepted = await visitor.post('/api/v2/auth/signup', {
      email: uniqueEmail('invited'),
      password: DEFAULT_PASSWORD,
      invite_token: token,
    });
    expect(accepted.status).toBe(201);
  });
});
