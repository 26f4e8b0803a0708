import type { WorkspaceStore } from '../../src/adapters/workspace-store';

/** WorkspaceStore in memory: workspaces and their snapshots as names, with injectable snapshot failures. */
export class InMemoryWorkspaceStore implements WorkspaceStore {
  readonly kind = 'directory' as const;
  readonly workspaces = new Map<string, string[]>();
  private snapshotFaults: Error[] = [];

  failNextSnapshot(error: Error = new Error('injected snapshot failure')): void {
    this.snapshotFaults.push(error);
  }

  workspaceName(userId: string, sessionId: string): string {
    return `${userId}/${sessionId}`;
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

  async destroy(workspace: string): Promise<void> {
    this.workspaces.delete(workspace);
  }
}
