import { execFile } from 'node:child_process';
import { chown } from 'node:fs/promises';
import { promisify } from 'node:util';

import { replaceDirectoryContents } from './replace-contents';
import { SerialQueue } from './serial-queue';
import {
  type SnapshotSpace,
  type WorkspaceUsage,
  WORKSPACE_OWNER,
  type WorkspaceStore,
} from '../ports/workspace-store';

const execFileAsync = promisify(execFile);
const ZFS_TIMEOUT_MS = 60_000;
const BUSY_RETRIES = 20;
const BUSY_BACKOFF_MS = 250;
const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;

export class ZfsError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`zfs ${args.join(' ')} failed: ${stderr.trim() || 'no output'}`);
    this.name = 'ZfsError';
  }
}

/**
 * Workspaces as ZFS datasets through the `zfs` CLI. Written against what zfs-fuse supports too: no
 * `zfs list -p` (uses `zfs get -H -p`), mutations serialized, and "dataset is busy" retried briefly
 * (zfs-fuse reports it for a moment after files were written or read).
 */
export class ZfsWorkspaceStore implements WorkspaceStore {
  readonly kind = 'zfs' as const;
  private readonly mutations = new SerialQueue();

  constructor(
    private readonly root: string,
    private readonly binary = 'zfs',
  ) {
    assertDatasetName(root);
  }

  homeName(userId: string): string {
    return `${this.root}/${userId}/home`;
  }

  async ensure(workspace: string, quotaBytes: number | null): Promise<{ hostPath: string }> {
    this.assertInsideRoot(workspace);
    return this.mutations.run(async () => {
      if (!(await this.exists(workspace))) {
        const quota = quotaBytes ? ['-o', `refquota=${quotaBytes}`] : [];
        await this.zfs(['create', '-p', ...quota, workspace]);
      }
      const hostPath = await this.mountedPath(workspace);
      await chown(hostPath, WORKSPACE_OWNER.uid, WORKSPACE_OWNER.gid);
      return { hostPath };
    });
  }

  async exists(workspace: string): Promise<boolean> {
    try {
      await this.zfs(['get', '-H', '-o', 'value', 'name', workspace]);
      return true;
    } catch (error) {
      if (error instanceof ZfsError && /does not exist/.test(error.stderr)) return false;
      throw error;
    }
  }

  async snapshot(workspace: string, name: string): Promise<string> {
    this.assertInsideRoot(workspace);
    const full = `${workspace}@${name}`;
    this.assertSnapshotName(full);
    await this.mutations.run(() => this.zfs(['snapshot', full]));
    return full;
  }

  async listSnapshots(workspace: string): Promise<string[]> {
    const { stdout } = await this.run(['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', workspace]);
    return stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith(`${workspace}@`));
  }

  async usage(workspace: string): Promise<WorkspaceUsage | null> {
    this.assertInsideRoot(workspace);
    if (!(await this.exists(workspace))) return null;
    const [referenced, refquota] = await Promise.all([
      this.property(workspace, 'referenced'),
      this.property(workspace, 'refquota'),
    ]);
    // zfs-fuse prints `none` for no refquota where OpenZFS prints 0.
    const quota = Number(refquota);
    return { usedBytes: Number(referenced), quotaBytes: Number.isFinite(quota) && quota > 0 ? quota : null };
  }

  async snapshotSpace(snapshots: readonly string[]): Promise<Map<string, SnapshotSpace>> {
    const space = new Map<string, SnapshotSpace>();
    if (snapshots.length === 0) return space;
    for (const snapshot of snapshots) this.assertSnapshotName(snapshot);
    // One `zfs get` for all of them; it still prints the ones that exist when some are gone (exit 1).
    const { stdout } = await this.run(
      ['get', '-H', '-p', '-o', 'name,property,value', 'used,referenced', ...snapshots],
      {
        keepStdoutOnError: true,
      },
    );
    for (const line of stdout.split('\n')) {
      const [name, property, value] = line.split('\t');
      if (!name || !value || !/^\d+$/.test(value)) continue;
      const entry = space.get(name) ?? { referencedBytes: 0, uniqueBytes: 0 };
      if (property === 'used') entry.uniqueBytes = Number(value);
      else if (property === 'referenced') entry.referencedBytes = Number(value);
      space.set(name, entry);
    }
    return space;
  }

  async deleteSnapshot(snapshot: string): Promise<void> {
    this.assertSnapshotName(snapshot);
    await this.mutations.run(async () => {
      try {
        await this.zfs(['destroy', snapshot]);
      } catch (error) {
        if (!(error instanceof ZfsError && /does not exist/.test(error.stderr))) throw error;
      }
    });
  }

  async openSnapshot(snapshot: string, view: string): Promise<{ hostPath: string }> {
    const clone = this.viewDataset(snapshot, view);
    return this.mutations.run(async () => {
      if (!(await this.exists(clone))) await this.zfs(['clone', '-o', 'readonly=on', snapshot, clone]);
      return { hostPath: await this.mountedPath(clone) };
    });
  }

  async closeSnapshot(snapshot: string, view: string): Promise<void> {
    const clone = this.viewDataset(snapshot, view);
    await this.mutations.run(async () => {
      if (await this.exists(clone)) await this.zfs(['destroy', clone]);
    });
  }

  async replaceContents(workspace: string, sourcePath: string): Promise<void> {
    this.assertInsideRoot(workspace);
    await replaceDirectoryContents(await this.mountedPath(workspace), sourcePath);
  }

  /** `<root>/<user>/view-<name>`: beside the home it was cloned from, so it counts in the user's space. */
  private viewDataset(snapshot: string, view: string): string {
    this.assertSnapshotName(snapshot);
    if (!/^[a-z0-9][a-z0-9-]{0,80}$/.test(view)) throw new Error(`invalid view name ${JSON.stringify(view)}`);
    const workspace = snapshot.slice(0, snapshot.indexOf('@'));
    return `${workspace.slice(0, workspace.lastIndexOf('/'))}/view-${view}`;
  }

  /** Where a dataset is mounted on the host; one that is not mounted is an error. */
  private async mountedPath(dataset: string): Promise<string> {
    const mountpoint = await this.property(dataset, 'mountpoint');
    if (!mountpoint.startsWith('/')) throw new Error(`dataset ${dataset} is not mounted (mountpoint=${mountpoint})`);
    return mountpoint;
  }

  /** A numeric or string property, parsed from `zfs get -H -p` (zfs-fuse has no `zfs list -p`). */
  async property(dataset: string, property: string): Promise<string> {
    const { stdout } = await this.run(['get', '-H', '-p', '-o', 'value', property, dataset]);
    return stdout.trim();
  }

  private async zfs(args: string[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.run(args);
        return;
      } catch (error) {
        const busy = error instanceof ZfsError && /dataset is busy/.test(error.stderr);
        if (!busy || attempt >= BUSY_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, BUSY_BACKOFF_MS));
      }
    }
  }

  private async run(args: string[], options: { keepStdoutOnError?: boolean } = {}): Promise<{ stdout: string }> {
    try {
      const { stdout } = await execFileAsync(this.binary, args, { timeout: ZFS_TIMEOUT_MS });
      return { stdout };
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; code?: unknown; message: string };
      if (options.keepStdoutOnError && typeof failed.code === 'number' && failed.stdout !== undefined) {
        return { stdout: failed.stdout };
      }
      throw new ZfsError(args, failed.stderr ?? failed.message);
    }
  }

  private assertSnapshotName(snapshot: string): void {
    const at = snapshot.indexOf('@');
    if (at < 0 || snapshot.indexOf('@', at + 1) >= 0)
      throw new Error(`invalid snapshot name ${JSON.stringify(snapshot)}`);
    this.assertInsideRoot(snapshot.slice(0, at));
    assertDatasetName(snapshot.replace('@', '/'));
  }

  private assertInsideRoot(workspace: string): void {
    assertDatasetName(workspace);
    if (!workspace.startsWith(`${this.root}/`) || workspace.split('/').includes('..')) {
      throw new Error(`workspace ${workspace} is outside ${this.root}`);
    }
  }
}

function assertDatasetName(name: string): void {
  if (!DATASET.test(name) || name.includes('//')) throw new Error(`invalid ZFS dataset name ${JSON.stringify(name)}`);
}
