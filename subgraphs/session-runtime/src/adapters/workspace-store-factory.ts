import type { SessionRuntimeConfig } from '../config';
import { DirectoryWorkspaceStore } from './directory-workspace-store';
import type { WorkspaceStore } from '../ports/workspace-store';
import { ZfsWorkspaceStore } from './zfs-workspace-store';

export function createWorkspaceStore(
  config: Pick<SessionRuntimeConfig, 'WORKSPACE_BACKEND' | 'ZFS_WORKSPACE_ROOT' | 'WORKSPACE_DIRECTORY_ROOT'>,
): WorkspaceStore {
  return config.WORKSPACE_BACKEND === 'zfs'
    ? new ZfsWorkspaceStore(config.ZFS_WORKSPACE_ROOT)
    : new DirectoryWorkspaceStore(config.WORKSPACE_DIRECTORY_ROOT);
}
