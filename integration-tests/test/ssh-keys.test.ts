import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApiClient, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';

function keygen(comment = 'ada@laptop'): { line: string; fingerprint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mf-keys-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', join(dir, 'k')]);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')])
    .toString()
    .split(' ')[1]!;
  return { line: readFileSync(join(dir, 'k.pub'), 'utf8'), fingerprint };
}

describe('SSH keys over REST', () => {
  let stack: TestStack;
  let ada: ApiClient;

  beforeAll(async () => {
    stack = await startTestStack();
    ada = new ApiClient(stack.gateway.url);
    await ada.signUp(uniqueEmail('keys'));
  });
  afterAll(() => stack?.stop());

  it('adds, lists and deletes a key, reporting the OpenSSH fingerprint', async () => {
    const key = keygen();
    const added = await ada.post('/api/v2/me/ssh-keys', { name: 'laptop', public_key: key.line });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({
      name: 'laptop',
      key_type: 'ssh-ed25519',
      fingerprint: key.fingerprint,
      bits: null,
    });
    const listed = await ada.get('/api/v2/me/ssh-keys');
    expect(listed.body.data.map((k: { fingerprint: string }) => k.fingerprint)).toEqual([key.fingerprint]);
    const deleted = await ada.request('DELETE', `/api/v2/me/ssh-keys/${added.body.data.id}`);
    expect(deleted.body.data).toEqual({ deleted: true });
    const again = await ada.request('DELETE', `/api/v2/me/ssh-keys/${added.body.data.id}`);
    expect(again.status).toBe(404);
  });

  it('refuses the same key twice, naming its fingerprint', async () => {
    const key = keygen();
    expect((await ada.post('/api/v2/me/ssh-keys', { name: 'a', public_key: key.line })).status).toBe(201);
    const dup = await ada.post('/api/v2/me/ssh-keys', {
      name: 'b',
      public_key: key.line.replace('ada@laptop', 'other comment'),
    });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toContain(key.fingerprint);
  });

  it.each([
    [{ name: 'x', public_key: 'ssh-dss AAAA' }, /Unsupported key type/],
    [{ name: '', public_key: 'ssh-ed25519 AAAA' }, /Key name must be/],
    [{ name: 'x' }, /public_key must be a string/],
  ])('answers bad input %j with a specific 400', async (body, detail) => {
    const r = await ada.post('/api/v2/me/ssh-keys', body);
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(detail);
  });

  it('rejects a malformed key id and requires a login', async () => {
    expect((await ada.request('DELETE', '/api/v2/me/ssh-keys/not-a-uuid')).status).toBe(400);
    expect((await new ApiClient(stack.gateway.url).get('/api/v2/me/ssh-keys')).status).toBe(401);
  });

  it('caps keys per user at 20, also under concurrent adds', async () => {
    const bob = new ApiClient(stack.gateway.url);
    await bob.signUp(uniqueEmail('many'));
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        bob.post('/api/v2/me/ssh-keys', { name: `k${i}`, public_key: keygen().line }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(20);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.body.detail).toMatch(/at most 20 SSH keys/);
  });
});
