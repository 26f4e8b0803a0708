import { type Knex, type Logger, SessionStatus } from '@medforge/shared-schema';

import { type ContainerRuntime, containerNameFor } from '../ports/container-runtime';
import { heldGpu, SessionRow } from '../db/models/session.model';
import { assessActivity, type BusyThresholds, WORKBENCH_REASON } from './activity-assessment';
import { CpuMeter } from './cpu-meter';
import { type DeadlinePolicy, decideDeadline } from './session-deadlines';
import type { SessionLifecycle } from './session-lifecycle';
import type { GpuReservations } from './gpu-reservations';
import type { StopWarnings } from './stop-warnings';

/** Sessions looked at concurrently in one pass. */
const LOOKS_AT_ONCE = 8;

export interface ReaperReport {
  checked: number;
  warned: number;
  stopped: number;
}

/** Recent utilisation of a GPU by its index (GpuTelemetry); null where there are no readings (virtual GPUs). */
export interface GpuUtilisation {
  meanUtilization(index: number, since: Date): number | null;
}

/**
 * Ends sessions nobody uses and sessions past their maximum runtime, so a forgotten session does not hold
 * a GPU forever, and never a session that is working. On an interval it looks at each running session:
 * workbench traffic (code-server's heartbeat), SSH connections, its GPU's and its container's CPU
 * utilisation over a window, and processes its user marked with `medforge keepalive`; keeps the latest
 * activity and why it counted in `last_activity_at` and `activity_reason`; warns the owner before a stop
 * (StopWarnings: console, workbench, terminals, webhook), withdraws the warning when the session is used
 * again or kept running, and stops the session at its deadline with the reason recorded.
 */
export class SessionReaper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly cpu: CpuMeter;

  constructor(
    private readonly knex: Knex,
    private readonly runtime: ContainerRuntime,
    private readonly lifecycle: SessionLifecycle,
    private readonly warnings: StopWarnings,
    private readonly gpus: GpuUtilisation,
    private readonly policy: DeadlinePolicy,
    private readonly busy: BusyThresholds,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** Sessions on a GPU booked for someone else stop as the booking begins (none: no reservations). */
    private readonly reservations: Pick<GpuReservations, 'bookedForOthersFrom'> | null = null,
  ) {
    this.cpu = new CpuMeter(busy.windowMs);
  }

  start(): void {
    const deadlines = this.policy.idleTimeoutMs !== null || this.policy.maxRuntimeMs !== null;
    if (!deadlines && !this.reservations) return;
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
    const startedAt = performance.now();
    const report: ReaperReport = { checked: 0, warned: 0, stopped: 0 };
    const rows = (await SessionRow.query(this.knex).where({ status: SessionStatus.RUNNING })).filter(
      (row) => !this.lifecycle.isBusy(row.id),
    );
    this.cpu.keepOnly(new Set(rows.map((row) => row.id)));
    // Each look is a round trip into a container (tens to hundreds of milliseconds on a busy host): a few
    // at once, so a pass takes about as long as the slowest look, not their sum.
    const latest = new Map<string, Date>();
    for (let i = 0; i < rows.length; i += LOOKS_AT_ONCE) {
      const batch = rows.slice(i, i + LOOKS_AT_ONCE);
      const seen = await Promise.all(batch.map((row) => this.latestActivity(row, now)));
      batch.forEach((row, j) => latest.set(row.id, seen[j]!));
    }
    for (const row of rows) {
      report.checked++;
      const lastActivityAt = latest.get(row.id)!;
      const decision = decideDeadline(
        now,
        {
          startedAt: row.started_at ?? row.created_at,
          lastActivityAt,
          keepAliveUntil: row.keep_alive_until,
          runtimeLimitAt: row.runtime_limit_at,
          reservedFrom: await this.reservations?.bookedForOthersFrom(
            heldGpu(row),
            row.user_id,
            now,
            new Date(now.getTime() + this.policy.warningMs),
          ),
        },
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
          await this.warnings.announce(row, decision.stopAt, decision.reason);
          report.warned++;
        }
      } else if (row.stop_scheduled_at) {
        await this.warnings.withdraw(row); // in use again, or kept running: the announced stop is off
      }
    }
    // One look per running session (a docker exec and a statistics read): `npm run bench:reaper` reads
    // these lines to measure its cost.
    this.logger.debug({ ...report, duration_ms: Math.round(performance.now() - startedAt) }, 'session reaper pass');
    return report;
  }

  /**
   * The later of what was recorded and what the session shows now (one that cannot say: what was
   * recorded), with why it counted; both are kept on the row.
   */
  private async latestActivity(row: SessionRow, now: Date): Promise<Date> {
    const recorded = row.last_activity_at ?? row.started_at ?? row.created_at;
    let latest = recorded;
    let reason = row.activity_reason;
    try {
      const activity = await this.runtime.activity(containerNameFor(row.slug));
      const verdict = assessActivity(
        {
          sshConnections: activity.sshConnections,
          cpuPercent: this.cpu.record(row.id, now, activity.cpuUsageNs),
          gpuPercent: this.gpus.meanUtilization(heldGpu(row), new Date(now.getTime() - this.busy.windowMs)),
          keptProcesses: activity.keptProcesses,
        },
        this.busy,
      );
      if (verdict.busyNow) {
        latest = now;
        reason = verdict.reason;
      } else if (activity.workbenchAt && activity.workbenchAt > latest) {
        latest = activity.workbenchAt;
        reason = WORKBENCH_REASON;
      }
    } catch (error) {
      this.logger.warn({ err: error, session_id: row.id }, 'could not read session activity');
    }
    if (latest > recorded || reason !== row.activity_reason) {
      await SessionRow.query(this.knex)
        .where({ id: row.id, status: SessionStatus.RUNNING })
        .patch({ last_activity_at: latest, activity_reason: reason });
    }
    return latest;
  }
}
