/**
 * Where a session's files live. Production: one ZFS dataset per session
 * (`<root>/<user_id>/<session_id>`, owned 1000:1000, with a refquota), snapshotted when the session stops.
 * Hosts without ZFS use a directory per session and copy it on stop.
 */
export interface WorkspaceStore {
  readonly kind: 'zfs' | 'directory';
  /** The name recorded in `sessions.workspace_zfs` for this session. */
  workspaceName(userId: string, sessionId: string): string;
  /** Creates the workspace if absent (idempotent); returns the host path to mount into the container. */
  ensure(workspace: string, quotaBytes: number | null): Promise<{ hostPath: string }>;
  exists(workspace: string): Promise<boolean>;
  /** Takes `<workspace>@<name>` and returns its full name. */
  snapshot(workspace: string, name: string): Promise<string>;
  listSnapshots(workspace: string): Promise<string[]>;
  /** Removes a workspace and its snapshots (only for sessions that never started). */
  destroy(workspace: string): Promise<void>;
}

/** The uid/gid every pack runs as; workspaces are handed to it. */
export const WORKSPACE_OWNER = { uid: 1000, gid: 1000 } as const;

export function stopSnapshotName(at: Date = new Date()): string {
  return `stop-${at.getTime()}`;
}
