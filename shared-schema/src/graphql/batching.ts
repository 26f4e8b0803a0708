import DataLoader from 'dataloader';

import { DomainError } from '../errors';

/**
 * A per-request DataLoader over a `byIds` lookup: every id a request touches (including federation
 * entity references) is fetched in one query; missing ids resolve to null.
 */
export function loaderByIds<K, V>(byIds: (ids: readonly K[]) => Promise<Map<K, V>>): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (ids) => {
    const found = await byIds(ids);
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** A `limit` argument kept within 1..max (lists whose page size is a hint, not a contract). */
export function clampLimit(limit: number, max: number): number {
  return Math.min(Math.max(limit, 1), max);
}

/** Validates limit/offset paging arguments with one wording everywhere. */
export function assertPage(limit: number, offset: number, maxLimit: number): void {
  if (limit < 1 || limit > maxLimit) throw new DomainError('BAD_USER_INPUT', `limit must be between 1 and ${maxLimit}`);
  if (offset < 0) throw new DomainError('BAD_USER_INPUT', 'offset must not be negative');
}
