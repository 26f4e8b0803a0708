import { execFile } from 'node:child_process';
import { access, chown, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { replaceDirectoryContents } from './replace-contents';
import {
  type SnapshotSpace,
  type WorkspaceUsage,
  WORKSPACE_OWNER,
  type WorkspaceStore,
} from '../ports/workspace-store';

const execFileAsync = promisify(execFile);
const SNAPSHOTS = '.snapshots';
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The embedded default where no ZFS exists: a home directory per user under a root (`<root>/<user>/home`),
 * and a snapshot as a full copy under `<root>/.snapshots/<user>/home@<name>`. No quota is enforced.
 */
export class DirectoryWorkspaceStore implements WorkspaceStore {
  readonly kind = 'directory' as const;

  constructor(private readonly root: string) {
    if (!path.isAbsolute(root)) throw new Error(`workspace directory root must be absolute: ${root}`);
  }

  homeName(userId: string): string {
    return `${userId}/home`;
  }

  async ensure(workspace: string): Promise<{ hostPath: string }> {
    const hostPath = this.pathOf(workspace);
    await mkdir(hostPath, { recursive: true });
    await chown(hostPath, WORKSPACE_OWNER.uid, WORKSPACE_OWNER.gid);
    return { hostPath };
  }

  async exists(workspace: string): Promise<boolean> {
    return access(this.pathOf(workspace)).then(
      () => true,
      () => false,
    );
  }

  async snapshot(workspace: string, name: string): Promise<string> {
    if (!SEGMENT.test(name)) throw new Error(`invalid snapshot name ${JSON.stringify(name)}`);
    const target = path.join(this.root, SNAPSHOTS, `${workspace}@${name}`);
    await mkdir(path.dirname(target), { recursive: true });
    await execFileAsync('cp', ['-a', '--reflink=auto', this.pathOf(workspace), target]);
    return `${workspace}@${name}`;
  }

  async listSnapshots(workspace: string): Promise<string[]> {
    const [user, session] = this.segments(workspace);
    const entries = await readdir(path.join(this.root, SNAPSHOTS, user)).catch(() => [] as string[]);
    return entries.filter((entry) => entry.startsWith(`${session}@`)).map((entry) => `${user}/${entry}`);
  }

  /** Directories have no quota; their size is what `du` counts. */
  async usage(workspace: string): Promise<WorkspaceUsage | null> {
    if (!(await this.exists(workspace))) return null;
    const { stdout } = await execFileAsync('du', ['-sb', this.pathOf(workspace)]);
    return { usedBytes: Number(stdout.split('\t')[0]), quotaBytes: null };
  }

  async snapshotSpace(snapshots: readonly string[]): Promise<Map<string, SnapshotSpace>> {
    const space = new Map<string, SnapshotSpace>();
    for (const snapshot of snapshots) {
      const bytes = await execFileAsync('du', ['-sb', this.snapshotPath(snapshot)]).then(
        ({ stdout }) => Number(stdout.split('\t')[0]),
        () => null,
      );
      // A copy shares nothing: deleting it frees all of it.
      if (bytes !== null && Number.isFinite(bytes)) space.set(snapshot, { referencedBytes: bytes, uniqueBytes: bytes });
    }
    return space;
  }

  async deleteSnapshot(snapshot: string): Promise<void> {
    await rm(this.snapshotPath(snapshot), { recursive: true, force: true });
  }

  /** The copy is already a folder of its own: the view is the snapshot's folder (mounted read-only). */
  async openSnapshot(snapshot: string): Promise<{ hostPath: string }> {
    const hostPath = this.snapshotPath(snapshot);
    await access(hostPath);
    return { hostPath };
  }

  async closeSnapshot(): Promise<void> {}

  async replaceContents(workspace: string, sourcePath: string): Promise<void> {
    await replaceDirectoryContents(this.pathOf(workspace), sourcePath);
  }

  /** Host path of a snapshot, for restores and tests. */
  snapshotPath(snapshot: string): string {
    const at = snapshot.indexOf('@');
    if (at < 0 || !SEGMENT.test(snapshot.slice(at + 1))) {
      throw new Error(`invalid snapshot name ${JSON.stringify(snapshot)}`);
    }
    this.segments(snapshot.slice(0, at));
    return path.join(this.root, SNAPSHOTS, snapshot);
  }

  private pathOf(workspace: string): string {
    const [user, session] = this.segments(workspace);
    return path.join(this.root, user, session);
  }

  private segments(workspace: string): [string, string] {
    const parts = workspace.split('/');
    if (parts.length !== 2 || !parts.every((p) => SEGMENT.test(p))) {
      throw new Error(`invalid workspace name ${JSON.stringify(workspace)}`);
    }
    return parts as [string, string];
  }
}
