/**
 * Where a user's files live: one home per user, mounted at /workspace in every session of theirs and
 * snapshotted whenever one of those sessions stops. Production: a ZFS dataset per user
 * (`<root>/<user_id>/home`, owned 1000:1000, with a refquota). Hosts without ZFS use a directory per
 * user and copy it for a snapshot.
 */
export interface WorkspaceStore {
  readonly kind: 'zfs' | 'directory';
  /** The name of a user's home, recorded in `sessions.workspace_zfs` for each session that mounts it. */
  homeName(userId: string): string;
  /** Creates the workspace if absent (idempotent); returns the host path to mount into the container. */
  ensure(workspace: string, quotaBytes: number | null): Promise<{ hostPath: string }>;
  exists(workspace: string): Promise<boolean>;
  /** Takes `<workspace>@<name>` and returns its full name. */
  snapshot(workspace: string, name: string): Promise<string>;
  listSnapshots(workspace: string): Promise<string[]>;
  /** What the workspace holds now and the most it may (null: no quota); null for one that does not exist. */
  usage(workspace: string): Promise<WorkspaceUsage | null>;
  /** Space of each snapshot that exists (missing ones are left out of the map). */
  snapshotSpace(snapshots: readonly string[]): Promise<Map<string, SnapshotSpace>>;
  /** Deletes one snapshot; one that is already gone is not an error (a retried delete). */
  deleteSnapshot(snapshot: string): Promise<void>;
  /**
   * Makes a snapshot's files readable at a host path under the name `view` (a read-only ZFS clone; the
   * copy itself for directories). Idempotent: a view already open is returned as it is.
   */
  openSnapshot(snapshot: string, view: string): Promise<{ hostPath: string }>;
  /** Closes a view `openSnapshot` made; one already closed is not an error. */
  closeSnapshot(snapshot: string, view: string): Promise<void>;
  /**
   * Makes the workspace hold exactly the files under `sourcePath` (everything else removed, owners and
   * modes kept). Not atomic: callers take a safety snapshot first, and repeating it after a crash
   * finishes the job.
   */
  replaceContents(workspace: string, sourcePath: string): Promise<void>;
}

export interface WorkspaceUsage {
  /** The files as they are now (ZFS `referenced`: snapshots are not counted, as the refquota does not). */
  usedBytes: number;
  quotaBytes: number | null;
}

export interface SnapshotSpace {
  /** The size of the files as they were (ZFS `referenced`). */
  referencedBytes: number;
  /** What deleting the snapshot frees (ZFS `used`: blocks no other snapshot or the live home holds). */
  uniqueBytes: number;
}

/** The uid/gid every pack runs as; workspaces are handed to it. */
export const WORKSPACE_OWNER = { uid: 1000, gid: 1000 } as const;

/**
 * `stop-<ms>-<slug>`: several sessions of one user share the home, so the session's slug keeps two
 * stops in the same millisecond apart and names the session that made the snapshot.
 */
export function stopSnapshotName(slug: string, at: Date = new Date()): string {
  return `stop-${at.getTime()}-${slug}`;
}

/** The part after `@` of a full snapshot name. */
export function snapshotShortName(snapshot: string): string {
  return snapshot.slice(snapshot.indexOf('@') + 1);
}
