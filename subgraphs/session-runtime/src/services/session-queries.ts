import { ACTIVE_SESSION_STATUSES, type Exposure, type Knex } from '@medforge/shared-schema';

import { SessionRow } from '../db/models/session.model';

/** Read side of sessions. */
export class SessionQueries {
  constructor(private readonly knex: Knex) {}

  async forUser(userId: string, limit: number): Promise<SessionRow[]> {
    return await SessionRow.query(this.knex)
      .where('user_id', userId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
  }

  async activeForUser(userId: string, exposure: Exposure): Promise<SessionRow[]> {
    return await SessionRow.query(this.knex)
      .where({ user_id: userId, exposure })
      .whereIn('status', ACTIVE_SESSION_STATUSES)
      .orderBy('created_at');
  }

  /** Admin view: every session, newest first, optionally of one status. */
  async all(status: string | null, limit: number, offset: number): Promise<{ rows: SessionRow[]; total: number }> {
    const filtered = () => {
      const query = SessionRow.query(this.knex);
      if (status) void query.where({ status });
      return query;
    };
    const [rows, total] = await Promise.all([
      filtered()
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset),
      filtered().resultSize(),
    ]);
    return { rows, total };
  }

  async byIds(ids: readonly string[]): Promise<Map<string, SessionRow>> {
    const rows = await SessionRow.query(this.knex).whereIn('id', [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }
}
