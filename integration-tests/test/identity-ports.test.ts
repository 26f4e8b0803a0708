import { randomUUID } from 'node:crypto';

import { type IdentityApp, loadIdentityConfig, startIdentity } from '@medforge/identity';
import { IdentityOwners, IdentitySessionTokens, IdentitySshKeys } from '@medforge/session-runtime';
import { hashLoginToken, ServiceClient } from '@medforge/shared-schema';
import {
  dropDatabase,
  postGraphQL,
  serviceHeaders,
  signedHeaders,
  TEST_SIGNING_SECRET,
  testDatabaseOptions,
  testEnv,
} from '@medforge/shared-schema/testing';

import { defineIdentityPortsContract } from '../../subgraphs/session-runtime/test/contracts/identity-ports.contract';

// session-runtime's identity adapters against the identity subgraph itself, over HTTP with the service's
// signature: the same contract the in-memory identity of the unit layer is held to.
const db = testDatabaseOptions('identity_ports');
let identity: IdentityApp;

afterAll(async () => {
  await identity?.stop();
  await dropDatabase(db);
});

defineIdentityPortsContract('the identity subgraph over HTTP', async () => {
  identity = await startIdentity(loadIdentityConfig(testEnv({ IDENTITY_PORT: '0', IDENTITY_DB_NAME: db.database })));
  const client = new ServiceClient('session-runtime', 'identity', identity.url, TEST_SIGNING_SECRET);
  return {
    tokens: new IdentitySessionTokens(client),
    keys: new IdentitySshKeys(client),
    owners: new IdentityOwners(client),
    addUser: async ({ email, displayName, keys }) => {
      const id = randomUUID();
      await identity.knex('users').insert({ id, email, display_name: displayName, password_hash: 'scrypt$unused' });
      const actor = { userId: id, role: 'user' as const, canUseInternal: false };
      for (const [i, publicKey] of keys.entries()) {
        const { body } = await postGraphQL(
          identity.url,
          'mutation($input: AddSshKeyInput!) { addSshKey(input: $input) { id } }',
          { input: { name: `key ${i}`, publicKey } },
          signedHeaders(actor),
        );
        if (body.errors) throw new Error(`addSshKey: ${JSON.stringify(body.errors)}`);
      }
      return id;
    },
    tokenSession: async (token) => {
      const { body } = await postGraphQL<{ resolveApiToken: { sessionId: string | null } | null }>(
        identity.url,
        'query($h: String!) { resolveApiToken(tokenHash: $h) { sessionId } }',
        { h: hashLoginToken(token) },
        serviceHeaders('gateway'),
      );
      return body.data?.resolveApiToken?.sessionId ?? null;
    },
  };
});
