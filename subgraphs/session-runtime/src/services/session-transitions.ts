import { type Knex, retryOnDeadlock, SessionStatus } from '@medforge/shared-schema';

import { SessionRow, type StartPhase } from '../db/models/session.model';
import type { SessionEventSink } from './session-events';

/**
 * The session state machine's one way to move a row: STARTING → RUNNING → STOPPING → STOPPED, or ERROR
 * from any active state. Every move is a conditional update, so of two steps racing (a stop and a late
 * start, recovery and a running finalization) exactly one wins; the winner announces the change.
 */
export class SessionTransitions {
  constructor(
    private readonly knex: Knex,
    private readonly events: SessionEventSink,
  ) {}

  /** Moves the row only if it is still in one of `from`; the moved row, or null when another step won. */
  async move(id: string, from: readonly SessionStatus[], patch: Partial<SessionRow>): Promise<SessionRow | null> {
    const updated = await retryOnDeadlock(() =>
      SessionRow.query(this.knex)
        .where({ id })
        .whereIn('status', from)
        .patch({ ...patch, updated_at: new Date() }),
    );
    return updated === 1 ? ((await SessionRow.query(this.knex).findById(id)) ?? null) : null;
  }

  /** `move`, then the change announced (with `detail` for the log line) when this step won. */
  async moveAndAnnounce(
    id: string,
    from: readonly SessionStatus[],
    patch: Partial<SessionRow>,
    detail: Record<string, unknown> = {},
  ): Promise<SessionRow | null> {
    const moved = await this.move(id, from, patch);
    if (moved) await this.announce(moved, detail);
    return moved;
  }

  announce(row: SessionRow, detail: Record<string, unknown> = {}): Promise<void> {
    return this.events.changed(row, detail);
  }

  /**
   * Records (and announces) the phase a start has reached, if the session is still STARTING; false when
   * it is not (stopped meanwhile).
   */
  async enterPhase(id: string, phase: StartPhase): Promise<boolean> {
    const row = await this.move(id, [SessionStatus.STARTING], { start_phase: phase, start_phase_at: new Date() });
    // A stop may have landed between the update and the re-read: it announces itself, this phase does not.
    if (row?.status === SessionStatus.STARTING) await this.announce(row);
    return row !== null;
  }

  async isStarting(id: string): Promise<boolean> {
    return (await SessionRow.query(this.knex).findById(id).select('status'))?.status === SessionStatus.STARTING;
  }
}
