import { type Actor, DomainError, isOwnerOrAdmin, type Knex, type Logger, requireActor } from '@medforge/shared-schema';

import type { SnapshotSpace, WorkspaceStore } from '../adapters/workspace-store';
import { SessionRow } from '../db/models/session.model';
import { WorkspaceSnapshotRow } from '../db/models/workspace-snapshot.model';

export interface SnapshotView {
  row: WorkspaceSnapshotRow;
  /** Null where the store could not say (the snapshot is gone, or the store failed to answer). */
  space: SnapshotSpace | null;
  session: SessionRow | null;
}

/** The snapshots of users' homes: listing with their space and session, and deleting (owner or admin). */
export class WorkspaceSnapshots {
  constructor(
    private readonly knex: Knex,
    private readonly workspaces: WorkspaceStore,
    private readonly logger: Logger,
  ) {}

  /** A user's snapshots, newest first. */
  async forUser(userId: string, limit: number): Promise<SnapshotView[]> {
    const rows = await WorkspaceSnapshotRow.query(this.knex)
      .where('user_id', userId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    const sessionIds = rows.flatMap((r) => (r.session_id ? [r.session_id] : []));
    const [sessions, space] = await Promise.all([
      sessionIds.length ? SessionRow.query(this.knex).whereIn('id', sessionIds) : Promise.resolve([]),
      this.workspaces.snapshotSpace(rows.map((r) => r.name)).catch((error: unknown) => {
        this.logger.warn({ err: error, user_id: userId }, 'snapshot sizes unavailable');
        return new Map<string, SnapshotSpace>();
      }),
    ]);
    const sessionById = new Map(sessions.map((s) => [s.id, s]));
    return rows.map((row) => ({
      row,
      space: space.get(row.name) ?? null,
      session: row.session_id ? (sessionById.get(row.session_id) ?? null) : null,
    }));
  }

  /**
   * Deletes a snapshot of the actor's (any, for admins). The snapshot goes first, then its row: a crash
   * in between leaves a row whose delete is simply asked again (deleting a gone snapshot succeeds).
   */
  async delete(actor: Actor | null, id: string): Promise<WorkspaceSnapshotRow> {
    const user = requireActor(actor);
    const row = await WorkspaceSnapshotRow.query(this.knex).findById(id);
    if (!row || !isOwnerOrAdmin(user, row.user_id)) throw new DomainError('NOT_FOUND', `No snapshot with id ${id}`);
    await this.workspaces.deleteSnapshot(row.name);
    await this.knex.transaction(async (trx) => {
      await WorkspaceSnapshotRow.query(trx).deleteById(row.id);
      await SessionRow.query(trx).where({ snapshot_name: row.name }).patch({ snapshot_name: null });
    });
    this.logger.info({ snapshot_id: row.id, user_id: row.user_id, by: user.userId }, 'snapshot deleted');
    return row;
  }
}
