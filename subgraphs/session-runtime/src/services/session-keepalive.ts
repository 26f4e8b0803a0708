import {
  type Actor,
  type Clock,
  DomainError,
  type Exposure,
  isOwnerOrAdmin,
  type Knex,
  type Logger,
  requireActor,
  SessionStatus,
  systemClock,
} from '@medforge/shared-schema';

import { SessionRow } from '../db/models/session.model';
import { stopTimes } from './session-deadlines';
import type { StopWarnings } from './stop-warnings';

export interface KeepAlivePolicy {
  /** How long "keep running" without a number of hours keeps a session (an idle period); null: 2 hours. */
  idleTimeoutMs: number | null;
  /** The furthest ahead one request may keep a session running. */
  maxKeepAliveMs: number;
  /** The maximum runtime a session starts with; null: none. */
  maxRuntimeMs: number | null;
  /** How long after its start a session may run at most, extensions included (the installation's maximum). */
  runtimeCeilingMs: number | null;
}

const HOUR = 3_600_000;
const FALLBACK_KEEP_ALIVE_MS = 2 * HOUR;

/**
 * "Keep running": the owner (from the console, `medforge keepalive` in the session, the API) or an
 * administrator asks that a running session not be stopped as idle for a while. Where that goes past its
 * maximum runtime, the runtime is extended too, up to the installation's maximum. Any announced stop is
 * withdrawn at once, everywhere it was shown.
 */
export class SessionKeepAlive {
  constructor(
    private readonly knex: Knex,
    private readonly warnings: StopWarnings,
    private readonly policy: KeepAlivePolicy,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  async keepAlive(
    actor: Actor | null,
    sessionId: string,
    hours: number | null,
    exposure: Exposure | null = null,
  ): Promise<SessionRow> {
    const user = requireActor(actor);
    const row = await SessionRow.query(this.knex).findById(sessionId);
    if (!row || !isOwnerOrAdmin(user, row.user_id) || (exposure !== null && row.exposure !== exposure)) {
      throw new DomainError('NOT_FOUND', `No session with id ${sessionId}`);
    }
    if (user.sessionId && user.sessionId !== row.id) {
      throw new DomainError('FORBIDDEN', "A session's own token keeps only that session running");
    }
    if (row.status !== SessionStatus.RUNNING) {
      throw new DomainError(
        'CONFLICT',
        `Session ${row.slug} is ${row.status}; only a running session can be kept running`,
      );
    }
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.durationMs(hours));
    const runtimeLimitAt = this.runtimeLimitFor(row, until);
    const updated = await SessionRow.query(this.knex)
      .where({ id: row.id, status: SessionStatus.RUNNING })
      .patch({ keep_alive_until: until, runtime_limit_at: runtimeLimitAt, updated_at: now });
    if (updated === 0) throw new DomainError('CONFLICT', `Session ${row.slug} stopped meanwhile`);
    const current = (await SessionRow.query(this.knex).findById(row.id))!;
    this.logger.info(
      {
        session_id: row.id,
        user_id: row.user_id,
        by: user.userId,
        keep_alive_until: until,
        runtime_limit_at: runtimeLimitAt,
      },
      'session kept running',
    );
    await this.warnings.withdraw(current);
    return (await SessionRow.query(this.knex).findById(row.id))!;
  }

  private durationMs(hours: number | null): number {
    if (hours === null) return this.policy.idleTimeoutMs ?? FALLBACK_KEEP_ALIVE_MS;
    const maxHours = this.policy.maxKeepAliveMs / HOUR;
    if (!Number.isFinite(hours) || hours <= 0 || hours > maxHours) {
      throw new DomainError('BAD_USER_INPUT', `hours must be more than 0 and at most ${maxHours}`, { maxHours });
    }
    return hours * HOUR;
  }

  /** The runtime deadline the session needs to reach `until`: unchanged when it does already. */
  private runtimeLimitFor(row: SessionRow, until: Date): Date | null {
    const startedAt = row.started_at ?? row.created_at;
    const { maxRuntimeStopAt } = stopTimes(
      { startedAt, lastActivityAt: startedAt, runtimeLimitAt: row.runtime_limit_at },
      { idleTimeoutMs: null, maxRuntimeMs: this.policy.maxRuntimeMs, warningMs: 0 },
    );
    if (!maxRuntimeStopAt || until <= maxRuntimeStopAt) return row.runtime_limit_at;
    const ceiling =
      this.policy.runtimeCeilingMs === null ? null : new Date(startedAt.getTime() + this.policy.runtimeCeilingMs);
    if (ceiling && until > ceiling) {
      const leftHours = Math.max(0, Math.floor(((ceiling.getTime() - this.clock.now().getTime()) / HOUR) * 10) / 10);
      throw new DomainError(
        'BAD_USER_INPUT',
        `Session ${row.slug} may run until ${ceiling.toISOString()} at most (this installation's limit of ` +
          `${this.policy.runtimeCeilingMs! / HOUR} hours after a start); keep it running for at most ${leftHours} hours`,
        { runsUntilAtMost: ceiling.toISOString(), maxHours: leftHours },
      );
    }
    return until;
  }
}
