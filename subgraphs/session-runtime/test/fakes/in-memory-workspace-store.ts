import type { SnapshotSpace, WorkspaceStore } from '../../src/adapters/workspace-store';

/** WorkspaceStore in memory: workspaces and their snapshots as names, with injectable snapshot failures. */
export class InMemoryWorkspaceStore implements WorkspaceStore {
  readonly kind = 'directory' as const;
  readonly workspaces = new Map<string, string[]>();
  private snapshotFaults: Error[] = [];

  failNextSnapshot(error: Error = new Error('injected snapshot failure')): void {
    this.snapshotFaults.push(error);
  }

  homeName(userId: string): string {
    return `${userId}/home`;
  }

  async ensure(workspace: string, _quotaBytes: number | null): Promise<{ hostPath: string }> {
    if (!this.workspaces.has(workspace)) this.workspaces.set(workspace, []);
    return { hostPath: `/fake/${workspace}` };
  }

  async exists(workspace: string): Promise<boolean> {
    return this.workspaces.has(workspace);
  }

  async snapshot(workspace: string, name: string): Promise<string> {
    const fault = this.snapshotFaults.shift();
    if (fault) throw fault;
    const snapshots = this.workspaces.get(workspace);
    if (!snapshots) throw new Error(`no workspace ${workspace}`);
    snapshots.push(name);
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

  async deleteSnapshot(snapshot: string): Promise<void> {
    const [workspace, name] = snapshot.split('@') as [string, string];
    const snapshots = this.workspaces.get(workspace);
    if (snapshots)
      this.workspaces.set(
        workspace,
        snapshots.filter((s) => s !== name),
      );
  }
}
