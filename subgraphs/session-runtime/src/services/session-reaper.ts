import { type Knex, type Logger, SessionStatus } from '@medforge/shared-schema';

import { type ContainerRuntime, containerNameFor } from '../adapters/container-runtime';
import { SessionRow } from '../db/models/session.model';
import { type DeadlinePolicy, decideDeadline } from './session-deadlines';
import type { SessionEventSink } from './session-events';
import type { SessionLifecycle } from './session-lifecycle';

export interface ReaperReport {
  checked: number;
  warned: number;
  stopped: number;
}

/**
 * Ends sessions nobody uses and sessions past their maximum runtime, so a forgotten session does not hold
 * a GPU forever. On an interval it reads each running session's activity (code-server's heartbeat, SSH
 * connections), keeps the latest in `last_activity_at`, announces a coming stop to the owner (a
 * `sessionUpdated` event with `stopScheduledAt`, withdrawn when activity resumes) and stops the session
 * at the deadline with its reason recorded.
 */
export class SessionReaper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly knex: Knex,
    private readonly runtime: ContainerRuntime,
    private readonly lifecycle: SessionLifecycle,
    private readonly events: SessionEventSink,
    private readonly policy: DeadlinePolicy,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.policy.idleTimeoutMs === null && this.policy.maxRuntimeMs === null) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.error({ err: error }, 'session reaper pass failed'))
        .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async runOnce(now: Date = new Date()): Promise<ReaperReport> {
    const report: ReaperReport = { checked: 0, warned: 0, stopped: 0 };
    const rows = await SessionRow.query(this.knex).where({ status: SessionStatus.RUNNING });
    for (const row of rows) {
      if (this.lifecycle.isBusy(row.id)) continue;
      report.checked++;
      const lastActivityAt = await this.latestActivity(row, now);
      const decision = decideDeadline(
        now,
        { startedAt: row.started_at ?? row.created_at, lastActivityAt },
        this.policy,
      );
      if (decision.action === 'stop') {
        const stopped = await this.lifecycle.stopForDeadline(row.id, decision.reason);
        if (stopped) {
          report.stopped++;
          this.logger.info(
            { session_id: row.id, user_id: row.user_id, reason: decision.reason },
            'session stopped by its deadline',
          );
        }
      } else if (decision.action === 'warn') {
        if (
          row.stop_scheduled_at?.getTime() !== decision.stopAt.getTime() ||
          row.stop_scheduled_reason !== decision.reason
        ) {
          await this.schedule(row, decision.stopAt, decision.reason);
          report.warned++;
        }
      } else if (row.stop_scheduled_at) {
        await this.schedule(row, null, null); // in use again: the announced stop is off
      }
    }
    return report;
  }

  /** The later of what was recorded and what the container says now (a container that cannot say: recorded). */
  private async latestActivity(row: SessionRow, now: Date): Promise<Date> {
    const recorded = row.last_activity_at ?? row.started_at ?? row.created_at;
    let latest = recorded;
    try {
      const activity = await this.runtime.activity(containerNameFor(row.slug));
      if (activity.sshConnections > 0) latest = now;
      else if (activity.workbenchAt && activity.workbenchAt > latest) latest = activity.workbenchAt;
    } catch (error) {
      this.logger.warn({ err: error, session_id: row.id }, 'could not read session activity');
    }
    if (latest > recorded) {
      await SessionRow.query(this.knex)
        .where({ id: row.id, status: SessionStatus.RUNNING })
        .patch({ last_activity_at: latest });
    }
    return latest;
  }

  private async schedule(row: SessionRow, at: Date | null, reason: 'idle' | 'max-runtime' | null): Promise<void> {
    const updated = await SessionRow.query(this.knex)
      .where({ id: row.id, status: SessionStatus.RUNNING })
      .patch({ stop_scheduled_at: at, stop_scheduled_reason: reason, updated_at: new Date() });
    if (updated === 0) return;
    const current = await SessionRow.query(this.knex).findById(row.id);
    if (current) await this.events.changed(current, { stop_scheduled_at: at, stop_scheduled_reason: reason });
  }
}
