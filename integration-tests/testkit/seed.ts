import { randomUUID } from 'node:crypto';

import type { TestStack } from './stack';

/**
 * Rows a test needs that no public API creates (or not quickly): an administrator, a pack, a session
 * row as the allocator leaves it. Written straight into the stack's databases.
 */
export async function makeAdmin(stack: TestStack, userId: string): Promise<void> {
  await stack.identity.knex('users').where({ id: userId }).update({ role: 'admin' });
}

/** A pack row; `image` is a digest reference (nothing is pulled or started unless a session starts). */
export async function addPack(
  stack: TestStack,
  options: { image?: string; name?: string; isDefault?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  await stack.sessionRuntime.knex('packs').insert({
    id,
    name: options.name ?? 'default',
    image_ref: options.image ?? `sha256:${randomUUID().replace(/-/g, '').padEnd(64, '0')}`,
    is_default: options.isDefault ?? true,
  });
  return id;
}

export interface SessionRowSeed {
  userId: string;
  packId: string;
  gpuId: number;
  status: 'starting' | 'running' | 'stopping' | 'stopped' | 'error';
  slug: string;
  exposure?: 'external' | 'internal';
  id?: string;
}

/** A session row as the allocator leaves it, for tests of routes that read and flag rows (nothing runs). */
export async function addSessionRow(stack: TestStack, seed: SessionRowSeed): Promise<string> {
  const id = seed.id ?? randomUUID();
  const knex = stack.sessionRuntime.knex;
  await knex('session_owners').insert({ user_id: seed.userId }).onConflict('user_id').ignore();
  await knex('sessions').insert({
    id,
    user_id: seed.userId,
    exposure: seed.exposure ?? 'external',
    pack_id: seed.packId,
    gpu_id: seed.gpuId,
    status: seed.status,
    slug: seed.slug,
    workspace_zfs: `${seed.userId}/${id}`,
  });
  return id;
}
