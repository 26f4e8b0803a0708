import { ApiClient, uniqueEmail } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';
import { addPack, addSessionRow, makeAdmin } from '../testkit/seed';

describe('admin: sessions and GPU inventory', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let user: ApiClient;
  let userId: string;
  let sessionId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    admin = new ApiClient(stack.gateway.url);
    user = new ApiClient(stack.gateway.url);
    const adminId = await admin.signUp(uniqueEmail('admin'));
    userId = await user.signUp(uniqueEmail('holder'));
    await makeAdmin(stack, adminId);
    // A session row as the allocator leaves it; these routes read and flag rows, they start nothing.
    const packId = await addPack(stack);
    sessionId = await addSessionRow(stack, { userId, packId, gpuId: 2, status: 'running', slug: 'abcdefgh' });
  });

  afterAll(() => stack?.stop());

  it('lists the GPUs with the holder of each, its owner resolved from identity', async () => {
    const r = await admin.get('/api/v2/admin/gpus');
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(7);
    const gpu2 = r.body.data.find((g: { index: number }) => g.index === 2);
    expect(gpu2).toMatchObject({
      enabled: true,
      is_virtual: true,
      held_by: { id: sessionId, status: 'RUNNING', user: { id: userId } },
    });
    expect(gpu2.held_by.user.email).toMatch(/^holder-/);
    expect(r.body.data.find((g: { index: number }) => g.index === 3).held_by).toBeNull();
  });

  it('disables and enables a GPU; disabled GPUs count as unavailable', async () => {
    const disabled = await admin.post('/api/v2/admin/gpus/5/disable');
    expect(disabled.body.data).toMatchObject({ index: 5, enabled: false });
    const availability = await user.graphql('{ gpuAvailability { total enabled free } }');
    expect(availability.body.data.gpuAvailability).toEqual({ total: 7, enabled: 6, free: 5 });
    expect((await admin.post('/api/v2/admin/gpus/5/enable')).body.data.enabled).toBe(true);
    expect((await admin.post('/api/v2/admin/gpus/99/enable')).status).toBe(404);
    expect((await admin.post('/api/v2/admin/gpus/x/enable')).status).toBe(400);
  });

  it('lists every session with its owner and filters by status', async () => {
    const all = await admin.get('/api/v2/admin/sessions?status=running');
    expect(all.body.meta.total).toBe(1);
    expect(all.body.data[0]).toMatchObject({ id: sessionId, gpu: { index: 2 }, user: { id: userId } });
    expect((await admin.get('/api/v2/admin/sessions?status=stopped')).body.data).toEqual([]);
    expect((await admin.get('/api/v2/admin/sessions?status=bogus')).status).toBe(400);
  });

  it('is for admins only', async () => {
    for (const path of ['/api/v2/admin/gpus', '/api/v2/admin/sessions']) {
      expect((await user.get(path)).status).toBe(403);
      expect((await new ApiClient(stack.gateway.url).get(path)).status).toBe(401);
    }
    expect((await user.post('/api/v2/admin/gpus/1/disable')).status).toBe(403);
  });
  it('lets admins add and deprecate packs, pinned by digest', async () => {
    const add = (name: string, imageRef: string) =>
      admin.graphql('mutation($n: String!, $i: String!) { addPack(name: $n, imageRef: $i) { id name isDefault } }', {
        n: name,
        i: imageRef,
      });
    const added = await add('pytorch', `sha256:${'e'.repeat(64)}`);
    expect(added.body.data.addPack).toMatchObject({ name: 'pytorch', isDefault: false });
    expect((await add('pytorch', `sha256:${'f'.repeat(64)}`)).body.errors[0].extensions.code).toBe('CONFLICT');
    expect((await add('latest-tag', 'nvidia/cuda:latest')).body.errors[0].message).toMatch(/pinned by digest/);
    expect((await add('Bad Name', `sha256:${'e'.repeat(64)}`)).body.errors[0].message).toMatch(/Pack name/);

    const packs = await user.graphql('{ packs { id name isDefault } }');
    expect(packs.body.data.packs.map((p: { name: string }) => p.name)).toEqual(['default', 'pytorch']);
    const defaultId = packs.body.data.packs[0].id;
    const deprecate = (id: string, client = admin) =>
      client.graphql('mutation($id: ID!) { deprecatePack(id: $id) { name } }', { id });
    expect((await deprecate(defaultId)).body.errors[0].extensions.code).toBe('CONFLICT');
    expect((await deprecate(added.body.data.addPack.id, user)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await deprecate(added.body.data.addPack.id)).body.data.deprecatePack.name).toBe('pytorch');
    expect((await user.graphql('{ packs { name } }')).body.data.packs).toEqual([{ name: 'default' }]);
  });
});
