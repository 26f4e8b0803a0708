import { execFile } from 'node:child_process';
import { chown } from 'node:fs/promises';
import { promisify } from 'node:util';

import { SerialQueue } from './serial-queue';
import { WORKSPACE_OWNER, type WorkspaceStore } from './workspace-store';

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

  workspaceName(userId: string, sessionId: string): string {
    return `${this.root}/${userId}/${sessionId}`;
  }

  async ensure(workspace: string, quotaBytes: number | null): Promise<{ hostPath: string }> {
    this.assertInsideRoot(workspace);
    return this.mutations.run(async () => {
      if (!(await this.exists(workspace))) {
        const quota = quotaBytes ? ['-o', `refquota=${quotaBytes}`] : [];
        await this.zfs(['create', '-p', ...quota, workspace]);
      }
      const hostPath = await this.property(workspace, 'mountpoint');
      if (!hostPath.startsWith('/')) throw new Error(`workspace ${workspace} is not mounted (mountpoint=${hostPath})`);
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
    assertDatasetName(full.replace('@', '/'));
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

  async destroy(workspace: string): Promise<void> {
    this.assertInsideRoot(workspace);
    await this.mutations.run(async () => {
      if (await this.exists(workspace)) await this.zfs(['destroy', '-r', workspace]);
    });
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

  private async run(args: string[]): Promise<{ stdout: string }> {
    try {
      const { stdout } = await execFileAsync(this.binary, args, { timeout: ZFS_TIMEOUT_MS });
      return { stdout };
    } catch (error) {
      const failed = error as { stderr?: string; message: string };
      throw new ZfsError(args, failed.stderr ?? failed.message);
    }
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
