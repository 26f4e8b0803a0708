import type { StopReason } from '../db/models/session.model';

export type { StopReason };

export interface DeadlinePolicy {
  /** No activity for this long stops a session; null: never. */
  idleTimeoutMs: number | null;
  /** A session stops this long after it started, unless its owner extended it; null: never. */
  maxRuntimeMs: number | null;
  /** The owner is warned this long before either stop. */
  warningMs: number;
}

export interface SessionClock {
  startedAt: Date;
  /** The last activity seen (at least the start). */
  lastActivityAt: Date;
  /** Its owner asked it to keep running until then (no idle stop before); null: not asked. */
  keepAliveUntil?: Date | null;
  /** The maximum-runtime deadline once extended; null: the start plus the policy's maximum. */
  runtimeLimitAt?: Date | null;
  /** Its GPU is booked for someone else from then (keeping it alive does not move this). */
  reservedFrom?: Date | null;
}

/** When each stop would come as things stand (null: that stop is off). */
export interface StopTimes {
  idleStopAt: Date | null;
  maxRuntimeStopAt: Date | null;
}

/** Why a running session is stopped by the platform. */
export type DeadlineReason = 'idle' | 'max-runtime' | 'reservation';

export type DeadlineDecision =
  | { action: 'none' }
  | { action: 'warn'; reason: DeadlineReason; stopAt: Date }
  | { action: 'stop'; reason: DeadlineReason };

/** The idle stop (the later of an idle timeout after the last activity and the keep-alive) and the runtime stop. */
export function stopTimes(clock: SessionClock, policy: DeadlinePolicy): StopTimes {
  const idle =
    policy.idleTimeoutMs === null
      ? null
      : Math.max(clock.lastActivityAt.getTime() + policy.idleTimeoutMs, clock.keepAliveUntil?.getTime() ?? 0);
  const runtime =
    clock.runtimeLimitAt?.getTime() ??
    (policy.maxRuntimeMs === null ? null : clock.startedAt.getTime() + policy.maxRuntimeMs);
  return {
    idleStopAt: idle === null ? null : new Date(idle),
    maxRuntimeStopAt: runtime === null ? null : new Date(runtime),
  };
}

/**
 * What to do with a running session now: stop it (the earlier of its deadlines has passed), warn its
 * owner (that deadline is within the warning window), or nothing. Pure: the reaper applies it.
 */
export function decideDeadline(now: Date, clock: SessionClock, policy: DeadlinePolicy): DeadlineDecision {
  const times = stopTimes(clock, policy);
  const deadlines: Array<{ reason: DeadlineReason; at: number }> = [];
  if (times.idleStopAt) deadlines.push({ reason: 'idle', at: times.idleStopAt.getTime() });
  if (times.maxRuntimeStopAt) deadlines.push({ reason: 'max-runtime', at: times.maxRuntimeStopAt.getTime() });
  if (clock.reservedFrom) deadlines.push({ reason: 'reservation', at: clock.reservedFrom.getTime() });
  if (deadlines.length === 0) return { action: 'none' };
  const first = deadlines.reduce((a, b) => (b.at < a.at ? b : a));
  if (now.getTime() >= first.at) return { action: 'stop', reason: first.reason };
  if (now.getTime() >= first.at - policy.warningMs)
    return { action: 'warn', reason: first.reason, stopAt: new Date(first.at) };
  return { action: 'none' };
}
