import { randomUUID } from 'node:crypto';

import { CONTEXT_HEADER, signContext } from '@medforge/shared-schema';
import {
  dropDatabase,
  postGraphQL,
  signedHeaders,
  testDatabaseOptions,
  testEnv,
} from '@medforge/shared-schema/testing';

import { type IdentityApp, loadIdentityConfig, startIdentity } from '../../src';

describe('identity subgraph over HTTP', () => {
  const db = testDatabaseOptions('identity');
  let app: IdentityApp;
  const userId = randomUUID();

  beforeAll(async () => {
    app = await startIdentity(loadIdentityConfig(testEnv({ IDENTITY_PORT: '0', IDENTITY_DB_NAME: db.database })));
    await app.knex('users').insert({
      id: userId,
      email: 'ada@example.org',
      display_name: 'ada',
      password_hash: 'scrypt$not-used-here',
    });
  });

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(db);
  });

  const userQuery = 'query($id: ID!) { user(id: $id) { id displayName } }';

  it('rejects a request without the gateway signature', async () => {
    const { status, body } = await postGraphQL(app.url, userQuery, { id: userId });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('CONTEXT_SIGNATURE_INVALID');
    expect(body.data).toBeUndefined();
  });

  it('rejects a forged signature claiming to be an admin', async () => {
    const forged = signContext(
      { requestId: 'r', actor: { userId, role: 'admin', canUseInternal: true }, issuedAt: Date.now() },
      'not-the-real-secret-not-the-real-secret',
    );
    const { status, body } = await postGraphQL(
      app.url,
      userQuery,
      { id: userId },
      {
        'content-type': 'application/json',
        [CONTEXT_HEADER]: forged,
      },
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toMatch(/signature does not match/);
  });

  it('answers a signed request', async () => {
    const { status, body } = await postGraphQL(app.url, userQuery, { id: userId }, signedHeaders(null));
    expect(status).toBe(200);
    expect(body.data).toEqual({ user: { id: userId, displayName: 'ada' } });
  });

  it('returns null for an unknown user', async () => {
    const { body } = await postGraphQL(app.url, userQuery, { id: randomUUID() }, signedHeaders(null));
    expect(body.data).toEqual({ user: null });
  });

  it('resolves User entity references in one batch', async () => {
    const missing = randomUUID();
    const { body } = await postGraphQL(
      app.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id displayName } } }',
      {
        r: [
          { __typename: 'User', id: userId },
          { __typename: 'User', id: missing },
        ],
      },
      signedHeaders(null),
    );
    expect(body.data).toEqual({ _entities: [{ id: userId, displayName: 'ada' }, null] });
  });

  it('reports health without a signature', async () => {
    const response = await fetch(app.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('stores emails uniquely', async () => {
    await expect(
      app.knex('users').insert({ id: randomUUID(), email: 'ada@example.org', display_name: 'x', password_hash: 'x' }),
    ).rejects.toThrow(/Duplicate entry/);
  });
});
