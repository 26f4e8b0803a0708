import {
  ACTIVE_SESSION_STATUSES,
  type Actor,
  DomainError,
  type Exposure,
  isOwnerOrAdmin,
  type Knex,
  requireActor,
  SessionStatus,
} from '@medforge/shared-schema';

import { SessionRow } from '../db/models/session.model';
import { sessionName } from './session-names';

/** Read side of sessions, and their names. */
export class SessionQueries {
  constructor(private readonly knex: Knex) {}

  /** Names (or unnames) a session of the actor's (any, for admins). */
  async rename(actor: Actor | null, sessionId: string, name: string | null): Promise<SessionRow> {
    const user = requireActor(actor);
    const checked = sessionName(name);
    const row = await SessionRow.query(this.knex).findById(sessionId);
    if (!row || !isOwnerOrAdmin(user, row.user_id))
      throw new DomainError('NOT_FOUND', `No session with id ${sessionId}`);
    await SessionRow.query(this.knex).findById(sessionId).patch({ name: checked, updated_at: new Date() });
    return (await SessionRow.query(this.knex).findById(sessionId))!;
  }

  async forUser(userId: string, limit: number): Promise<SessionRow[]> {
    return await SessionRow.query(this.knex)
      .where('user_id', userId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
  }

  /** The user's sessions of one exposure that wait for a GPU or are active, oldest first. */
  async currentForUser(userId: string, exposure: Exposure): Promise<SessionRow[]> {
    return await SessionRow.query(this.knex)
      .where({ user_id: userId, exposure })
      .whereIn('status', [SessionStatus.QUEUED, ...ACTIVE_SESSION_STATUSES])
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
