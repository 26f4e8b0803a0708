import { stat } from 'node:fs/promises';

import { Exposure, type Knex, type Logger } from '@medforge/shared-schema';

import { containerNameFor, PACK_LAYOUT, type SessionLaunch } from '../ports/container-runtime';
import type { SessionTokenIssuer } from '../ports/session-tokens';
import type { SshKeySource } from '../ports/ssh-key-source';
import type { WorkspaceStore } from '../ports/workspace-store';
import { GpuDeviceRow } from '../db/models/gpu-device.model';
import { PackRow } from '../db/models/pack.model';
import { heldGpu, type SessionRow } from '../db/models/session.model';
import type { LimitSettings } from './limit-settings';
import { sessionEnvironment } from './session-environment';

export interface LaunchSettings {
  /** This installation's id (installation-identity), on everything it starts. */
  installationId: string;
  /** The size of each session's /tmp and /var/tmp (its root file system is read-only). */
  scratchMib: number;
  workspaceQuotaBytes: number | null;
  /** Competition data seen read-only in every session, where the host directory exists. */
  dataMounts: ReadonlyArray<{ hostPath: string; containerPath: string }>;
  /** The platform's public URL, which `medforge submit` inside sessions talks to. */
  publicUrl: string;
  /** The package index INTERNAL sessions install from (pip's PIP_INDEX_URL); null: none. */
  internalPackageIndex: string | null;
}

/**
 * The start's workspace phase: everything a session needs before any runtime places it (its home, the
 * snapshot it views, its owner's keys and token, its limits), gathered into one SessionLaunch.
 */
export class SessionLaunchPlanner {
  constructor(
    private readonly knex: Knex,
    private readonly workspaces: WorkspaceStore,
    private readonly keys: SshKeySource,
    private readonly tokens: SessionTokenIssuer,
    private readonly limits: LimitSettings,
    private readonly settings: LaunchSettings,
    private readonly logger: Logger,
  ) {}

  async plan(row: SessionRow, requestId: string): Promise<SessionLaunch> {
    const [pack, gpu] = await Promise.all([
      PackRow.query(this.knex).findById(row.pack_id),
      GpuDeviceRow.query(this.knex).findById(heldGpu(row)),
    ]);
    if (!pack || !gpu) throw new Error('pack or GPU row disappeared');
    // Independent of one another: asked together, so a start waits for the slowest, not for the sum.
    const [{ hostPath }, authorizedKeys, token, limits, dataMounts, snapshotMounts] = await Promise.all([
      this.workspaces.ensure(row.workspace_zfs, this.settings.workspaceQuotaBytes),
      this.keys.authorizedKeys(row.user_id, requestId),
      this.sessionToken(row, requestId),
      this.limits.forSession(row.user_id, pack),
      presentDirectories(this.settings.dataMounts),
      this.snapshotMounts(row),
    ]);
    return {
      name: containerNameFor(row.slug),
      session: { id: row.id, userId: row.user_id, slug: row.slug, exposure: row.exposure },
      installationId: this.settings.installationId,
      image: pack.image_ref,
      gpu: { uuid: gpu.uuid, virtual: Boolean(gpu.is_virtual) },
      homePath: hostPath,
      readOnlyMounts: [...dataMounts, ...snapshotMounts],
      sshPort: row.exposure === Exposure.EXTERNAL ? row.ssh_port : null,
      limits,
      scratchMib: this.settings.scratchMib,
      env: sessionEnvironment({
        row,
        gpuId: gpu.id,
        authorizedKeys,
        token,
        publicUrl: this.settings.publicUrl,
        internalPackageIndex: this.settings.internalPackageIndex,
      }),
    };
  }

  /** The snapshot the session views, read-only at its place in the pack's layout. */
  private async snapshotMounts(row: SessionRow): Promise<Array<{ hostPath: string; containerPath: string }>> {
    if (!row.viewed_snapshot) return [];
    const { hostPath } = await this.workspaces.openSnapshot(row.viewed_snapshot, row.id);
    return [{ hostPath, containerPath: PACK_LAYOUT.snapshot }];
  }

  /**
   * The owner's submit-only token for the session (`medforge submit` inside it). A session still starts
   * without one when identity cannot mint it: the command then says how to use a token of one's own.
   */
  private async sessionToken(row: SessionRow, requestId: string): Promise<string | null> {
    try {
      return await this.tokens.issue(row.user_id, row.id, requestId);
    } catch (error) {
      this.logger.warn({ err: error, session_id: row.id }, 'no session token: starting without one');
      return null;
    }
  }
}

/**
 * The mounts whose host directory exists: an install without competition data yet starts sessions
 * without it, rather than letting the runtime create empty root-owned directories in its place.
 */
async function presentDirectories<T extends { hostPath: string }>(mounts: readonly T[]): Promise<T[]> {
  const present = await Promise.all(
    mounts.map((m) =>
      stat(m.hostPath).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return mounts.filter((_, i) => present[i]);
}
