import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { GraphQLSchema } from 'graphql';

import { type Actor, CONTEXT_HEADER, type ServiceName, signContext } from '../context';
import { type DatabaseOptions, dropDatabase } from '../db';
import { printFederatedSdl } from '../graphql';
import { type SubgraphName, subgraphSdlPath } from '../supergraph';

/**
 * Helpers for tests that run against the real MariaDB and Redis of the machine. Each test file gets
 * databases of its own (random names), so test files can run in parallel and leave nothing behind.
 */
export const TEST_SIGNING_SECRET = 'medforge-test-signing-secret-0123456789abcdef';

export function uniqueDatabaseName(label: string): string {
  return `mf_t_${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
}

/** The real local MariaDB the tests use; DB_* variables override the ops/dev defaults. */
function testDatabaseServer() {
  return {
    host: process.env['DB_HOST'] ?? '127.0.0.1',
    port: Number(process.env['DB_PORT'] ?? 3306),
    user: process.env['DB_USER'] ?? 'medforge',
    password: process.env['DB_PASSWORD'] ?? 'medforge-dev',
  };
}

export function testDatabaseOptions(label: string): DatabaseOptions {
  return { ...testDatabaseServer(), database: uniqueDatabaseName(label), poolMax: 5 };
}

export { dropDatabase };

/** Environment for a service config loader in tests: real local services, quiet logs, port 0. */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const db = testDatabaseServer();
  return {
    MEDFORGE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    CONTEXT_SIGNING_SECRET: TEST_SIGNING_SECRET,
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0',
    // Every suite shares one Redis, and requests that do not come through a trusted proxy all count as
    // 127.0.0.1 there: with the production limit, one suite's sign-ins would lock out another's. The
    // limit's own test sets a small one (and gives each client its own address).
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    // A test's session-runtime is an installation of its own, named after its database: never the
    // default `medforge` of a development installation on the same Docker engine.
    MEDFORGE_INSTANCE: overrides['SESSION_DB_NAME'] ?? `mf_t_${randomBytes(4).toString('hex')}`,
    ...overrides,
  };
}

/** Headers a gateway would send for this actor; lets a test call a subgraph directly. */
export function signedHeaders(actor: Actor | null, secret = TEST_SIGNING_SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    [CONTEXT_HEADER]: signContext(
      { requestId: `test-${randomBytes(4).toString('hex')}`, actor, issuedAt: Date.now() },
      secret,
    ),
  };
}

/** Headers of a call one MedForge service makes to another on its own behalf. */
export function serviceHeaders(service: ServiceName, secret = TEST_SIGNING_SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    [CONTEXT_HEADER]: signContext(
      { requestId: `test-${randomBytes(4).toString('hex')}`, actor: null, service, issuedAt: Date.now() },
      secret,
    ),
  };
}

export async function postGraphQL<T = unknown>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{
  status: number;
  body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as never };
}

/** The SDL a subgraph builds now, and the SDL committed for composition; tests compare the two. */
export async function currentAndCommittedSdl(
  name: SubgraphName,
  build: () => Promise<GraphQLSchema>,
): Promise<{ current: string; committed: string }> {
  return {
    current: printFederatedSdl(await build()),
    committed: readFileSync(subgraphSdlPath(name), 'utf8'),
  };
}
export { destroyZfsTree, readFromSnapshot, TEST_ZFS_POOL, testZfsRoot } from './zfs';
export { removeTestInstance } from './containers';
export { RecordingPublisher } from './recording-publisher';
export { ManualClock } from './manual-clock';
