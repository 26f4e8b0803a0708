import {
  announce,
  type EventPublisher,
  type Logger,
  SESSION_EVENTS_CHANNEL,
  type SessionEvent,
  SessionStatus,
} from '@medforge/shared-schema';

import type { SessionRow } from '../db/models/session.model';

/** Where the lifecycle reports each state change it makes. */
export interface SessionEventSink {
  changed(row: SessionRow, detail?: Record<string, unknown>): Promise<void>;
}

/**
 * Every session state change: a structured lifecycle log line and a Redis message that drives the
 * gateway's `sessionUpdated` subscription and the routing cache. Publishing is best effort; the
 * database stays the source of truth.
 */
export class SessionEvents implements SessionEventSink {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
  ) {}

  async changed(row: SessionRow, detail: Record<string, unknown> = {}): Promise<void> {
    const phase = row.status === SessionStatus.STARTING ? row.start_phase : null;
    const event: SessionEvent = {
      sessionId: row.id,
      userId: row.user_id,
      slug: row.slug,
      status: row.status,
      ...(phase ? { startPhase: phase } : {}),
      at: new Date().toISOString(),
    };
    await announce(
      this.publisher,
      this.logger,
      SESSION_EVENTS_CHANNEL,
      event,
      {
        event: 'session.status',
        session_id: row.id,
        user_id: row.user_id,
        slug: row.slug,
        status: row.status,
        ...detail,
      },
      `session ${row.slug} is ${row.status}${phase ? ` (${phase})` : ''}`,
    );
  }
}
