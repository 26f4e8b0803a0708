import { randomUUID } from 'node:crypto';

import type { Knex } from '@medforge/shared-schema';

import type { SessionRow } from '../db/models/session.model';
import { type SnapshotReason, WorkspaceSnapshotRow } from '../db/models/workspace-snapshot.model';
import { stopSnapshotName, type WorkspaceStore } from '../ports/workspace-store';

/** The snapshot of a session's home taken when it ends. */
export class StopSnapshots {
  constructor(
    private readonly knex: Knex,
    private readonly workspaces: WorkspaceStore,
  ) {}

  /**
   * Takes it and records it before the session moves on: a crash after this leaves the session STOPPING
   * (or RUNNING), which recovery finishes with another snapshot, so a snapshot is never taken without its
   * row for its owner to see. Null when the session never got a home.
   */
  async take(row: SessionRow, reason: SnapshotReason): Promise<string | null> {
    if (!(await this.workspaces.exists(row.workspace_zfs))) return null;
    const name = await this.workspaces.snapshot(row.workspace_zfs, stopSnapshotName(row.slug));
    await WorkspaceSnapshotRow.query(this.knex).insert({
      id: randomUUID(),
      user_id: row.user_id,
      session_id: row.id,
      workspace: row.workspace_zfs,
      name,
      reason,
      created_at: new Date(),
    });
    return name;
  }
}
