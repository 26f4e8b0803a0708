import type { Knex } from '@medforge/shared-schema';

import { UserRow } from '../db/models/user.model';

/** Read side of accounts: lookups by id, in batches for federation entity resolution. */
export class UserDirectory {
  constructor(private readonly knex: Knex) {}

  async byIds(ids: readonly string[]): Promise<Map<string, UserRow>> {
    if (ids.length === 0) return new Map();
    const rows = await UserRow.query(this.knex).whereIn('id', [...new Set(ids)]);
    return new Map(rows.map((row) => [row.id, row]));
  }
}
