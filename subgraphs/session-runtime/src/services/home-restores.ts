import { randomUUID } from 'node:crypto';

import {
  ACTIVE_SESSION_STATUSES,
  type Actor,
  DomainError,
  isOwnerOrAdmin,
  type Knex,
  type Logger,
  requireActor,
} from '@medforge/shared-schema';

import { snapshotShortName, type WorkspaceStore } from '../ports/workspace-store';
import { HomeRestoreRow } from '../db/models/home-restore.model';
import { WorkspaceSnapshotRow } from '../db/models/workspace-snapshot.model';

const ERROR_MESSAGE_MAX = 1024;

/**
 * Restores a snapshot into its user's home, only while no session of theirs is active (and no session
 * can start until it is done). Every step can be repeated, so a restore cut off by a crash is simply run
 * again at the next start: (1) a safety snapshot of the home as it is, recorded before anything changes,
 * (2) the snapshot opened read-only, (3) the home's contents replaced by it, (4) the view closed, (5) done.
 */
export class HomeRestores {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly knex: Knex,
    private readonly workspaces: WorkspaceStore,
    private readonly settings: { workspaceQuotaBytes: number | null },
    private readonly logger: Logger,
    /** After a restore ends (done or failed): the retention pass for that user. */
    private readonly afterRestore: (userId: string) => Promise<void> = async () => undefined,
  ) {}

  async start(actor: Actor | null, snapshotId: string): Promise<HomeRestoreRow> {
    const user = requireActor(actor);
    const snapshot = await WorkspaceSnapshotRow.query(this.knex).findById(snapshotId);
    if (!snapshot || !isOwnerOrAdmin(user, snapshot.user_id)) {
      throw new DomainError('NOT_FOUND', `No snapshot with id ${snapshotId}`);
    }
    const row = await this.knex.transaction(
      async (trx) => {
        // The owner row is what session starts lock too: no start can slip in between check and insert.
        await trx('session_owners').where({ user_id: snapshot.user_id }).forUpdate().first('user_id');
        const active = await trx('sessions')
          .where({ user_id: snapshot.user_id })
          .whereIn('status', ACTIVE_SESSION_STATUSES)
          .first('slug');
        if (active) {
          throw new DomainError(
            'CONFLICT',
            `Session ${String(active.slug)} is active: stop every session before restoring the home they use`,
          );
        }
        if (await HomeRestoreRow.query(trx).where({ user_id: snapshot.user_id, status: 'running' }).first()) {
          throw new DomainError('CONFLICT', 'A restore of this home is already running');
        }
        const id = randomUUID();
        await HomeRestoreRow.query(trx).insert({
          id,
          user_id: snapshot.user_id,
          workspace: this.workspaces.homeName(snapshot.user_id),
          snapshot_name: snapshot.name,
          safety_snapshot: null,
          status: 'running',
          error_message: null,
          requested_by: user.userId,
          created_at: new Date(),
          finished_at: null,
        });
        return (await HomeRestoreRow.query(trx).findById(id))!;
      },
      { isolationLevel: 'read committed' },
    );
    this.logger.info(
      { restore_id: row.id, user_id: row.user_id, snapshot: snapshot.id, by: user.userId },
      'home restore started',
    );
    this.launch(row);
    return row;
  }

  async byId(actor: Actor | null, id: string): Promise<HomeRestoreRow | null> {
    const user = requireActor(actor);
    const row = await HomeRestoreRow.query(this.knex).findById(id);
    return row && isOwnerOrAdmin(user, row.user_id) ? row : null;
  }

  /** At start, before anything is served: restores that a crash cut off run again from their first step. */
  async resumeUnfinished(): Promise<number> {
    const rows = await HomeRestoreRow.query(this.knex).where({ status: 'running' });
    for (const row of rows) {
      if (this.inFlight.has(row.id)) continue;
      this.logger.warn({ restore_id: row.id, user_id: row.user_id }, 'resuming a home restore cut off earlier');
      this.launch(row);
    }
    return rows.length;
  }

  /** Resolves once every restore started so far has ended (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private launch(row: HomeRestoreRow): void {
    const run = this.run(row)
      .catch((error: unknown) => this.logger.error({ err: error, restore_id: row.id }, 'home restore step failed'))
      .finally(() => this.inFlight.delete(row.id));
    this.inFlight.set(row.id, run);
  }

  /** Steps 1-5; each may have been done already by a run a crash cut off. */
  async run(row: HomeRestoreRow): Promise<void> {
    const view = `restore-${row.id}`;
    let safety = row.safety_snapshot;
    try {
      await this.workspaces.ensure(row.workspace, this.settings.workspaceQuotaBytes);
      if (!safety) {
        safety = await this.workspaces.snapshot(row.workspace, `safety-${Date.now()}`);
        await WorkspaceSnapshotRow.query(this.knex).insert({
          id: randomUUID(),
          user_id: row.user_id,
          session_id: null,
          workspace: row.workspace,
          name: safety,
          reason: 'safety',
          created_at: new Date(),
        });
        await HomeRestoreRow.query(this.knex).findById(row.id).patch({ safety_snapshot: safety });
      }
      const { hostPath } = await this.workspaces.openSnapshot(row.snapshot_name, view);
      await this.workspaces.replaceContents(row.workspace, hostPath);
      await this.workspaces.closeSnapshot(row.snapshot_name, view);
      await HomeRestoreRow.query(this.knex).findById(row.id).patch({ status: 'done', finished_at: new Date() });
      this.logger.info({ restore_id: row.id, user_id: row.user_id }, 'home restored');
    } catch (error) {
      await this.workspaces.closeSnapshot(row.snapshot_name, view).catch(() => undefined);
      const kept = safety ? `; the home as it was before is kept in snapshot ${snapshotShortName(safety)}` : '';
      const message = `Restoring failed: ${(error as Error).message}${kept}`.slice(0, ERROR_MESSAGE_MAX);
      this.logger.warn({ err: error, restore_id: row.id, user_id: row.user_id }, 'home restore failed');
      await HomeRestoreRow.query(this.knex)
        .findById(row.id)
        .patch({ status: 'failed', error_message: message, finished_at: new Date() });
    }
    await this.afterRestore(row.user_id).catch((error: unknown) =>
      this.logger.warn({ err: error, user_id: row.user_id }, 'snapshot retention after a restore failed'),
    );
  }
}
