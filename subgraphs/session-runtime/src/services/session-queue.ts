import {
  ACTIVE_SESSION_STATUSES,
  type Clock,
  Exposure,
  type Knex,
  retryOnDeadlock,
  SessionStatus,
  systemClock,
} from '@medforge/shared-schema';
import { UniqueViolationError } from 'objection';

import { heldGpu, SessionRow } from '../db/models/session.model';
import { freeGpuCount, freeSshPort, lockFreeGpu, NO_HOLDS, type SshPortRange } from './allocation-picks';
import type { GpuReservations } from './gpu-reservations';
import { type DeadlinePolicy, stopTimes } from './session-deadlines';
import { estimateStarts, orderQueue } from './queue-order';

export interface QueueSettings extends SshPortRange {
  maxActivePerUser: number;
  /** Usage further back than this does not count towards the queue's order. */
  fairnessWindowMs: number;
  /** A session's expected length while too few have ended to tell (estimates only). */
  defaultSessionMs: number;
  deadlines: DeadlinePolicy;
}

/** Where a waiting session stands: its place (1 is next) and when it can expect a GPU (null: no estimate). */
export interface QueuePlace {
  position: number;
  estimatedStartAt: Date | null;
}

/** Retries of a promotion pass that lost a race on a GPU or port to a direct start (see SessionAllocator). */
const MAX_ATTEMPTS = 8;
/** Recent sessions whose lengths make the "typical session" of estimates. */
const TYPICAL_SAMPLE = 200;
const TYPICAL_WINDOW_MS = 30 * 86_400_000;

/**
 * The queue for GPUs, kept in the sessions table (a QUEUED row holds no GPU and no port), so a restart
 * loses nobody's place. A promotion pass hands every free GPU to the waiting sessions in the queue's order
 * (queue-order.ts: least GPU time in the fairness window first, then arrival), skipping those whose owners
 * are at their active limit. Passes take the queue's lock row first: two GPUs freed at once are handed
 * out one pass after the other, each to the head of the queue as it is then, never one GPU twice.
 */
export class SessionQueue {
  constructor(
    private readonly knex: Knex,
    private readonly settings: QueueSettings,
    /** GPUs booked for others are not handed out; booked users get theirs (none: no reservations). */
    private readonly reservations: Pick<GpuReservations, 'holds'> | null = null,
    private readonly clock: Clock = systemClock,
  ) {}

  async hasWaiting(): Promise<boolean> {
    return Boolean(await SessionRow.query(this.knex).where({ status: SessionStatus.QUEUED }).select('id').first());
  }

  /** Moves waiting sessions to STARTING with a GPU (and a port) while GPUs are free; the moved rows. */
  async promote(): Promise<SessionRow[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await retryOnDeadlock(() =>
          this.knex.transaction((trx) => this.promoteIn(trx), { isolationLevel: 'read committed' }),
        );
      } catch (error) {
        if (!(error instanceof UniqueViolationError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async promoteIn(trx: Knex.Transaction): Promise<SessionRow[]> {
    await trx('session_queue_lock').where({ id: 1 }).forUpdate().first('id');
    const waiting = await SessionRow.query(trx).where({ status: SessionStatus.QUEUED }).forUpdate();
    if (waiting.length === 0) return [];
    const now = this.clock.now();
    const order = orderQueue(waiting.map(entryOf), await this.gpuMsByUser(trx, waiting, now));
    const active = await this.activeCounts(trx, waiting);
    const restoring = new Set<string>(
      await trx('home_restores')
        .whereIn('user_id', [...active.keys()])
        .where({ status: 'running' })
        .pluck('user_id'),
    );
    const promoted: string[] = [];
    let free = await freeGpuCount(trx);
    for (const entry of order) {
      if (free === 0) break;
      if ((active.get(entry.userId) ?? 0) >= this.settings.maxActivePerUser || restoring.has(entry.userId)) continue;
      const holds = (await this.reservations?.holds(entry.userId, trx)) ?? NO_HOLDS;
      const gpuId = await lockFreeGpu(trx, holds);
      if (gpuId === undefined) continue; // what is free is booked for others: the next in line may fit
      free--;
      const row = entry.row;
      await SessionRow.query(trx)
        .findById(row.id)
        .patch({
          status: SessionStatus.STARTING,
          gpu_id: gpuId,
          ssh_port: row.exposure === Exposure.EXTERNAL ? await freeSshPort(trx, this.settings) : null,
          start_phase: 'allocating',
          start_phase_at: now,
          updated_at: now,
        });
      active.set(entry.userId, (active.get(entry.userId) ?? 0) + 1);
      promoted.push(row.id);
    }
    return promoted.length === 0 ? [] : await SessionRow.query(trx).findByIds(promoted);
  }

  /**
   * A promoted session that never got past taking its GPU (the process died in between) goes back to its
   * place: its queued_at is kept, so the order it had stands. Null when it was not such a session.
   */
  async requeue(row: SessionRow): Promise<SessionRow | null> {
    if (!row.queued_at || row.status !== SessionStatus.STARTING || row.start_phase !== 'allocating') return null;
    const moved = await SessionRow.query(this.knex)
      .where({ id: row.id, status: SessionStatus.STARTING, start_phase: 'allocating' })
      .patch({
        status: SessionStatus.QUEUED,
        gpu_id: null,
        ssh_port: null,
        start_phase: null,
        start_phase_at: null,
        updated_at: this.clock.now(),
      });
    return moved === 1 ? ((await SessionRow.query(this.knex).findById(row.id)) ?? null) : null;
  }

  /** Takes a waiting session out of the queue (STOPPED, left-queue); null when it was no longer waiting. */
  async leave(id: string): Promise<SessionRow | null> {
    const now = this.clock.now();
    const moved = await retryOnDeadlock(() =>
      SessionRow.query(this.knex).where({ id, status: SessionStatus.QUEUED }).patch({
        status: SessionStatus.STOPPED,
        stop_reason: 'left-queue',
        stop_requested_at: now,
        stopped_at: now,
        updated_at: now,
      }),
    );
    return moved === 1 ? ((await SessionRow.query(this.knex).findById(id)) ?? null) : null;
  }

  async waiting(): Promise<SessionRow[]> {
    return await SessionRow.query(this.knex).where({ status: SessionStatus.QUEUED });
  }

  /** Every waiting session's place and estimated start, as things stand. */
  async places(): Promise<Map<string, QueuePlace>> {
    const waiting = await this.waiting();
    if (waiting.length === 0) return new Map();
    const now = this.clock.now();
    const [usage, typical] = await Promise.all([this.gpuMsByUser(this.knex, waiting, now), this.typicalSessionMs(now)]);
    const freeAt = await this.gpuFreeTimes(typical, now);
    const order = orderQueue(waiting.map(entryOf), usage);
    const starts = estimateStarts(freeAt, order.length, typical, now.getTime());
    return new Map(
      order.map((entry, i) => [
        entry.id,
        { position: i + 1, estimatedStartAt: starts[i] === undefined ? null : new Date(starts[i]) },
      ]),
    );
  }

  /** GPU time each waiting user's sessions held within the fairness window (ms). */
  private async gpuMsByUser(db: Knex, waiting: readonly SessionRow[], now: Date): Promise<Map<string, number>> {
    const since = new Date(now.getTime() - this.settings.fairnessWindowMs);
    const rows = (await db('sessions')
      .whereIn('user_id', [...new Set(waiting.map((r) => r.user_id))])
      .whereNotNull('started_at')
      .where((q) => q.whereNull('stopped_at').orWhere('stopped_at', '>', since))
      .groupBy('user_id')
      .select(
        'user_id',
        db.raw(
          'SUM(TIMESTAMPDIFF(MICROSECOND, GREATEST(started_at, ?), LEAST(COALESCE(stopped_at, ?), ?))) DIV 1000 AS used_ms',
          [since, now, now],
        ),
      )) as Array<{ user_id: string; used_ms: number | string | null }>;
    return new Map(rows.map((r) => [r.user_id, Math.max(0, Number(r.used_ms ?? 0))]));
  }

  private async activeCounts(trx: Knex.Transaction, waiting: readonly SessionRow[]): Promise<Map<string, number>> {
    const users = [...new Set(waiting.map((r) => r.user_id))];
    const rows = (await trx('sessions')
      .whereIn('user_id', users)
      .whereIn('status', ACTIVE_SESSION_STATUSES)
      .groupBy('user_id')
      .select('user_id')
      .count({ n: '*' })) as Array<{ user_id: string; n: number }>;
    const counts = new Map(users.map((u) => [u, 0]));
    for (const r of rows) counts.set(r.user_id, Number(r.n));
    return counts;
  }

  /** When each enabled GPU is expected to be free: now, or when the session holding it is expected to end. */
  private async gpuFreeTimes(typical: number, now: Date): Promise<number[]> {
    const [gpus, holders] = await Promise.all([
      this.knex('gpu_devices').where({ enabled: true, present: true }).pluck('id'),
      SessionRow.query(this.knex).whereIn('status', ACTIVE_SESSION_STATUSES).whereNotNull('gpu_id'),
    ]);
    const byGpu = new Map(holders.map((row) => [heldGpu(row), row]));
    return (gpus as number[]).map((id) => {
      const row = byGpu.get(id);
      return row ? this.expectedEnd(row, typical, now) : now.getTime();
    });
  }

  /** An announced stop; else the maximum-runtime stop; else its start plus a typical session. */
  private expectedEnd(row: SessionRow, typicalMs: number, now: Date): number {
    if (row.stop_scheduled_at) return row.stop_scheduled_at.getTime();
    const started = row.started_at ?? now;
    const runtime = stopTimes(
      { startedAt: started, lastActivityAt: started, runtimeLimitAt: row.runtime_limit_at },
      this.settings.deadlines,
    ).maxRuntimeStopAt;
    const typicalEnd = started.getTime() + typicalMs;
    return runtime ? Math.min(runtime.getTime(), typicalEnd) : typicalEnd;
  }

  /** The median length of recently ended sessions, or the configured default while there are too few. */
  private async typicalSessionMs(now: Date): Promise<number> {
    const lengths = (
      (await this.knex('sessions')
        .whereNotNull('started_at')
        .whereNotNull('stopped_at')
        .where('stopped_at', '>', new Date(now.getTime() - TYPICAL_WINDOW_MS))
        .orderBy('stopped_at', 'desc')
        .limit(TYPICAL_SAMPLE)
        .select(this.knex.raw('TIMESTAMPDIFF(MICROSECOND, started_at, stopped_at) DIV 1000 AS ms'))) as Array<{
        ms: number | string;
      }>
    )
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);
    if (lengths.length < 5) return this.settings.defaultSessionMs;
    return lengths[Math.floor(lengths.length / 2)]!;
  }
}

function entryOf(row: SessionRow) {
  return { id: row.id, userId: row.user_id, queuedAt: row.queued_at ?? row.created_at, row };
}
