import {
  ACTIVE_SESSION_STATUSES,
  type Actor,
  DomainError,
  isOwnerOrAdmin,
  type Knex,
  type Logger,
  requireActor,
} from '@medforge/shared-schema';

import type { SnapshotSpace, WorkspaceStore, WorkspaceUsage } from '../ports/workspace-store';
import { HomeRestoreRow } from '../db/models/home-restore.model';
import { SessionRow } from '../db/models/session.model';
import { WorkspaceSnapshotRow } from '../db/models/workspace-snapshot.model';
import { type RetentionPolicy, snapshotsToPrune } from './snapshot-retention';

export interface SnapshotView {
  row: WorkspaceSnapshotRow;
  /** Null where the store could not say (the snapshot is gone, or the store failed to answer). */
  space: SnapshotSpace | null;
  session: SessionRow | null;
}

/**
 * The snapshots of users' homes: listing with their space and session, deleting (owner or admin), and the
 * retention pass after each stop. A snapshot in use (the source or safety snapshot of a running restore,
 * or mounted by an active session) is never deleted.
 */
export class WorkspaceSnapshots {
  constructor(
    private readonly knex: Knex,
    private readonly workspaces: WorkspaceStore,
    private readonly retention: RetentionPolicy,
    private readonly logger: Logger,
  ) {}

  /** How full a user's home is (null before their first session made it). */
  async homeUsage(userId: string): Promise<WorkspaceUsage | null> {
    return await this.workspaces.usage(this.workspaces.homeName(userId));
  }

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
    if ((await this.namesInUse(row.user_id)).has(row.name)) {
      throw new DomainError('CONFLICT', 'This snapshot is in use by a restore or a session; try again when it ends');
    }
    await this.remove(row);
    this.logger.info({ snapshot_id: row.id, user_id: row.user_id, by: user.userId }, 'snapshot deleted');
    return row;
  }

  /** Deletes what the retention policy no longer keeps of one user's snapshots; returns how many. */
  async applyRetention(userId: string): Promise<number> {
    const rows = await WorkspaceSnapshotRow.query(this.knex).where('user_id', userId);
    const inUse = await this.namesInUse(userId);
    const prunable = snapshotsToPrune(rows, this.retention).filter((row) => !inUse.has(row.name));
    for (const row of prunable) await this.remove(row);
    if (prunable.length > 0) {
      this.logger.info({ user_id: userId, deleted: prunable.length }, 'snapshots past the retention policy deleted');
    }
    return prunable.length;
  }

  private async namesInUse(userId: string): Promise<Set<string>> {
    const [restores, viewing] = await Promise.all([
      HomeRestoreRow.query(this.knex).where({ user_id: userId, status: 'running' }),
      SessionRow.query(this.knex)
        .where({ user_id: userId })
        .whereIn('status', ACTIVE_SESSION_STATUSES)
        .whereNotNull('viewed_snapshot'),
    ]);
    return new Set([
      ...restores.flatMap((r) => [r.snapshot_name, ...(r.safety_snapshot ? [r.safety_snapshot] : [])]),
      ...viewing.map((s) => s.viewed_snapshot!),
    ]);
  }

  /** The snapshot first, then its row: a crash between leaves a row whose delete is asked again. */
  private async remove(row: WorkspaceSnapshotRow): Promise<void> {
    await this.workspaces.deleteSnapshot(row.name);
    await this.knex.transaction(async (trx) => {
      await WorkspaceSnapshotRow.query(trx).deleteById(row.id);
      await SessionRow.query(trx).where({ snapshot_name: row.name }).patch({ snapshot_name: null });
    });
  }
}
