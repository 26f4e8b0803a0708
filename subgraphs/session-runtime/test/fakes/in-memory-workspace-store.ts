import type { SnapshotSpace, WorkspaceStore, WorkspaceUsage } from '../../src/ports/workspace-store';

/** The names the real stores accept (a snapshot's part after `@`). */
const HOME_PREFIX = '/fake/';
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * WorkspaceStore in memory: workspaces and their snapshots as names, what each holds as a label
 * (`contents`), open read-only views, and injectable failures of snapshots and content replacement.
 */
export class InMemoryWorkspaceStore implements WorkspaceStore {
  readonly kind = 'directory' as const;
  readonly workspaces = new Map<string, string[]>();
  /** What a workspace or a snapshot (by full name) holds. */
  readonly contents = new Map<string, string>();
  /** Open views: `<snapshot>#<view>` → the host path handed out. */
  readonly views = new Map<string, string>();
  private snapshotFaults: Error[] = [];
  private replaceFaults: Error[] = [];

  failNextSnapshot(error: Error = new Error('injected snapshot failure')): void {
    this.snapshotFaults.push(error);
  }

  failNextReplace(error: Error = new Error('injected copy failure')): void {
    this.replaceFaults.push(error);
  }

  private replaceGate: Promise<void> | null = null;

  /** Holds every content replacement until the returned function is called (a long copy, in tests). */
  holdReplace(): () => void {
    let release!: () => void;
    this.replaceGate = new Promise((resolve) => (release = resolve));
    return () => {
      this.replaceGate = null;
      release();
    };
  }

  /** Puts `text` in a home by the host path ensure() handed out. */
  writeAt(hostPath: string, text: string): void {
    const workspace = hostPath.slice(HOME_PREFIX.length);
    if (!hostPath.startsWith(HOME_PREFIX) || !this.workspaces.has(workspace)) throw new Error(`no home at ${hostPath}`);
    this.contents.set(workspace, text);
  }

  /** What a home or an open view holds, by the host path it was handed out at. */
  readAt(hostPath: string): string {
    if (hostPath.startsWith(HOME_PREFIX)) return this.contents.get(hostPath.slice(HOME_PREFIX.length)) ?? '';
    const view = [...this.views.entries()].find(([, path]) => path === hostPath);
    if (!view) throw new Error(`nothing is open at ${hostPath}`);
    return this.contents.get(view[0].split('#')[0]!) ?? '';
  }

  homeName(userId: string): string {
    return `${userId}/home`;
  }

  async ensure(workspace: string, _quotaBytes: number | null): Promise<{ hostPath: string }> {
    if (!this.workspaces.has(workspace)) this.workspaces.set(workspace, []);
    return { hostPath: `${HOME_PREFIX}${workspace}` };
  }

  async exists(workspace: string): Promise<boolean> {
    return this.workspaces.has(workspace);
  }

  /** What usage() reports per workspace (default: empty, no quota). */
  readonly usages = new Map<string, WorkspaceUsage>();

  async usage(workspace: string): Promise<WorkspaceUsage | null> {
    if (!this.workspaces.has(workspace)) return null;
    return this.usages.get(workspace) ?? { usedBytes: 0, quotaBytes: null };
  }

  async snapshot(workspace: string, name: string): Promise<string> {
    if (!SNAPSHOT_NAME.test(name)) throw new Error(`invalid snapshot name ${JSON.stringify(name)}`);
    const fault = this.snapshotFaults.shift();
    if (fault) throw fault;
    const snapshots = this.workspaces.get(workspace);
    if (!snapshots) throw new Error(`no workspace ${workspace}`);
    snapshots.push(name);
    this.contents.set(`${workspace}@${name}`, this.contents.get(workspace) ?? '');
    return `${workspace}@${name}`;
  }

  async listSnapshots(workspace: string): Promise<string[]> {
    return (this.workspaces.get(workspace) ?? []).map((name) => `${workspace}@${name}`);
  }

  async snapshotSpace(snapshots: readonly string[]): Promise<Map<string, SnapshotSpace>> {
    const space = new Map<string, SnapshotSpace>();
    for (const snapshot of snapshots) {
      const [workspace, name] = snapshot.split('@') as [string, string];
      if (this.workspaces.get(workspace)?.includes(name)) space.set(snapshot, { referencedBytes: 1, uniqueBytes: 1 });
    }
    return space;
  }

  async openSnapshot(snapshot: string, view: string): Promise<{ hostPath: string }> {
    const [workspace, name] = snapshot.split('@') as [string, string];
    if (!this.workspaces.get(workspace)?.includes(name)) throw new Error(`no snapshot ${snapshot}`);
    const hostPath = `/fake-view/${view}`;
    this.views.set(`${snapshot}#${view}`, hostPath);
    return { hostPath };
  }

  async closeSnapshot(snapshot: string, view: string): Promise<void> {
    this.views.delete(`${snapshot}#${view}`);
  }

  async replaceContents(workspace: string, sourcePath: string): Promise<void> {
    if (this.replaceGate) await this.replaceGate;
    const fault = this.replaceFaults.shift();
    if (fault) {
      this.contents.set(workspace, 'half-copied');
      throw fault;
    }
    this.contents.set(workspace, this.readAt(sourcePath));
  }

  async deleteSnapshot(snapshot: string): Promise<void> {
    const [workspace, name] = snapshot.split('@') as [string, string];
    if (!name || !SNAPSHOT_NAME.test(name)) throw new Error(`invalid snapshot name ${JSON.stringify(snapshot)}`);
    if ([...this.views.keys()].some((key) => key.startsWith(`${snapshot}#`))) {
      throw new Error(`snapshot ${snapshot} has dependent clones`);
    }
    const snapshots = this.workspaces.get(workspace);
    if (snapshots)
      this.workspaces.set(
        workspace,
        snapshots.filter((s) => s !== name),
      );
  }
}
