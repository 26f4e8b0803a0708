import { type Knex, type SessionRoute, SessionStatus } from '@medforge/shared-schema';

import { containerNameFor, PACK_LAYOUT } from '../ports/container-runtime';
import { SessionRow } from '../db/models/session.model';

/**
 * How the edge proxy addresses a session's code-server: by container name where Caddy sits on the
 * sessions network and uses Docker's DNS (production), or by the recorded container address where
 * Caddy runs on the host (development, tests).
 */
export type UpstreamAddressing = 'container-name' | 'container-ip';

/** Who may be routed to the session behind a slug, for the gateway's forward-auth endpoint. */
export class SessionRoutes {
  constructor(
    private readonly knex: Knex,
    private readonly addressing: UpstreamAddressing,
  ) {}

  async bySlug(slug: string): Promise<SessionRoute | null> {
    const row = await SessionRow.query(this.knex).findOne({ slug });
    if (!row) return null;
    return {
      sessionId: row.id,
      userId: row.user_id,
      exposure: row.exposure,
      status: row.status,
      upstream: row.status === SessionStatus.RUNNING ? this.upstreamOf(row) : null,
    };
  }

  private upstreamOf(row: SessionRow): string | null {
    const host = this.addressing === 'container-name' ? containerNameFor(row.slug) : row.container_ip;
    return host ? `${host}:${PACK_LAYOUT.codeServerPort}` : null;
  }
}
