import { ACTIVE_SESSION_STATUSES, type Knex, type Logger, SessionStatus } from '@medforge/shared-schema';

import { type ContainerRuntime, type ContainerState, containerNameFor, LABELS } from '../ports/container-runtime';
import { SessionRow } from '../db/models/session.model';
import type { SessionLifecycle } from './session-lifecycle';

export interface RecoverySettings {
  intervalMs: number;
  maxBackoffMs: number;
  /** This installation's id: only containers proved to be its own are ever removed. */
  installationId: string;
}

export interface RecoveryReport {
  startingFailed: number;
  runningLost: number;
  stoppingResumed: number;
  orphansRemoved: number;
}

/**
 * Makes the database and Docker agree, at boot, when a container of ours exits, and on a jittered poll: no row stays STARTING or
 * STOPPING without work in flight, a RUNNING row whose container died ends as ERROR (with a snapshot),
 * and no container of ours lives without an active row. A container is ours when it carries this
 * installation's id, or (made before containers carried one) names a session of this database; any
 * other container, even one labelled with our instance name, is left alone and reported once.
 * Consecutive failures back off exponentially; /healthz reports `degraded` while the loop is failing.
 */
export class SessionRecovery {
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private lastError: string | null = null;
  /** The reconciliation in progress, if any. */
  private running: Promise<void> | null = null;
  private again = false;
  private exits: { close(): void } | null = null;
  /** Foreign containers already reported (once each). */
  private readonly reportedForeign = new Set<string>();

  constructor(
    private readonly knex: Knex,
    private readonly runtime: ContainerRuntime,
    private readonly lifecycle: SessionLifecycle,
    private readonly settings: RecoverySettings,
    private readonly logger: Logger,
  ) {}

  async reconcile(): Promise<RecoveryReport> {
    const startedAt = performance.now();
    const report: RecoveryReport = { startingFailed: 0, runningLost: 0, stoppingResumed: 0, orphansRemoved: 0 };
    const active = await SessionRow.query(this.knex).whereIn('status', ACTIVE_SESSION_STATUSES);
    for (const row of active) {
      if (this.lifecycle.isBusy(row.id)) continue;
      if (row.status === SessionStatus.STARTING) {
        await this.lifecycle.abandonStart(row, 'the session runtime restarted while the session was starting');
        report.startingFailed++;
      } else if (row.status === SessionStatus.STOPPING) {
        await this.lifecycle.finalize(row);
        report.stoppingResumed++;
      } else {
        const state = await this.runtime.inspect(containerNameFor(row.slug));
        if (!state?.running) {
          const reason = state ? `the container exited with code ${state.exitCode}` : 'the container disappeared';
          await this.lifecycle.endLost(row, reason);
          report.runningLost++;
        }
      }
    }
    const inspected = active.length;
    const stillActive = new Set(
      (await SessionRow.query(this.knex).whereIn('status', ACTIVE_SESSION_STATUSES).select('id')).map((r) => r.id),
    );
    const containers = await this.runtime.listSessionContainers();
    for (const container of containers) {
      const sessionId = container.labels[LABELS.sessionId];
      if (sessionId && (stillActive.has(sessionId) || this.lifecycle.isBusy(sessionId))) continue;
      if (!(await this.isOwn(container))) continue;
      await this.runtime.remove(container.name);
      this.logger.warn({ container: container.name, session_id: sessionId }, 'removed orphaned session container');
      report.orphansRemoved++;
    }
    // Its cost grows with active sessions and containers, never with finished rows (an indexed status
    // query): `npm run bench:sessions` reads these lines to measure it at scale.
    // A GPU that came free without a stop this process saw (a restart, an enabled GPU) reaches the queue.
    await this.lifecycle.admitQueued();
    const pass = {
      duration_ms: Math.round(performance.now() - startedAt),
      active: inspected,
      containers: containers.length,
    };
    if (Object.values(report).some((n) => n > 0))
      this.logger.info({ ...report, ...pass }, 'session recovery reconciled');
    else this.logger.debug(pass, 'session recovery pass');
    return report;
  }

  /** Whether a container is provably this installation's (see the class comment); others are reported once. */
  private async isOwn(container: ContainerState): Promise<boolean> {
    const owner = container.labels[LABELS.installation];
    const sessionId = container.labels[LABELS.sessionId];
    if (owner === this.settings.installationId) return true;
    if (!owner && sessionId && (await SessionRow.query(this.knex).findById(sessionId))) return true;
    if (!this.reportedForeign.has(container.name)) {
      this.reportedForeign.add(container.name);
      this.logger.warn(
        { container: container.name, session_id: sessionId ?? null, installation_id: owner ?? null },
        'a session container with this instance name belongs to another installation; leaving it alone',
      );
    }
    return false;
  }

  /**
   * Reconciles once (boot), then keeps polling until stopped; a container of ours that dies triggers a
   * reconciliation at once, so a lost session ends (and stops being routed) in milliseconds rather than
   * at the next poll — before Docker can hand its address to another container.
   */
  async start(): Promise<void> {
    const startedAt = performance.now();
    await this.runOnce();
    this.logger.info({ duration_ms: Math.round(performance.now() - startedAt) }, 'boot reconciliation done');
    this.schedule();
    this.exits = this.runtime.watchExits((name) => {
      this.logger.info({ container: name }, 'session container exited; reconciling');
      this.reconcileSoon();
    });
  }

  async stop(): Promise<void> {
    this.exits?.close();
    this.exits = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  health(): 'ok' | string {
    return this.failures === 0 ? 'ok' : `failing (${this.failures} in a row): ${this.lastError}`;
  }

  private schedule(): void {
    const base = Math.min(this.settings.intervalMs * 2 ** this.failures, this.settings.maxBackoffMs);
    const jittered = base * (0.8 + Math.random() * 0.4); // spread polls so restarts do not align
    this.timer = setTimeout(() => {
      // An exit-triggered reconciliation may be running: this tick then has nothing to add.
      void (this.running ? Promise.resolve() : this.runOnce()).finally(() => {
        if (this.timer) this.schedule();
      });
    }, jittered);
    this.timer.unref();
  }

  /** One reconciliation now, or right after the one in progress (exits often come in bursts). */
  private reconcileSoon(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    void this.runOnce().finally(() => {
      if (this.again && this.exits) {
        this.again = false;
        this.reconcileSoon();
      }
    });
  }

  private runOnce(): Promise<void> {
    const run = this.reconcile()
      .then(
        () => {
          this.failures = 0;
          this.lastError = null;
        },
        (error: unknown) => {
          this.failures++;
          this.lastError = (error as Error).message;
          this.logger.error({ err: error, failures: this.failures }, 'session recovery failed');
        },
      )
      .finally(() => {
        this.running = null;
      });
    this.running = run;
    return run;
  }
}
