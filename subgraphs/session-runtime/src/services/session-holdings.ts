import type { Logger } from '@medforge/shared-schema';

import type { SessionRow } from '../db/models/session.model';
import type { SessionTokenIssuer } from '../ports/session-tokens';
import type { WorkspaceStore } from '../ports/workspace-store';

/** What a session holds besides its container and GPU: its token and the snapshot view it mounted. */
export class SessionHoldings {
  constructor(
    private readonly workspaces: WorkspaceStore,
    private readonly tokens: SessionTokenIssuer,
    private readonly logger: Logger,
  ) {}

  /** Gives both back once the container is gone; each is best effort (the token also expires on its own). */
  async release(row: SessionRow): Promise<void> {
    await this.closeView(row);
    await this.tokens
      .revoke(row.id, `req_release_${row.id}`)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, session_id: row.id }, 'could not revoke the session token'),
      );
  }

  private async closeView(row: SessionRow): Promise<void> {
    if (!row.viewed_snapshot) return;
    await this.workspaces
      .closeSnapshot(row.viewed_snapshot, row.id)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, session_id: row.id }, 'could not close the snapshot view of a session'),
      );
  }
}
