import type { StopReason } from '../db/models/session.model';

export type { StopReason };

export interface DeadlinePolicy {
  /** No workbench or SSH activity for this long stops a session; null: never. */
  idleTimeoutMs: number | null;
  /** A session stops this long after it started, whatever it does; null: never. */
  maxRuntimeMs: number | null;
  /** The owner is warned this long before either stop. */
  warningMs: number;
}

export interface SessionClock {
  startedAt: Date;
  /** The last workbench or SSH activity seen (at least the start). */
  lastActivityAt: Date;
}

export type DeadlineDecision =
  | { action: 'none' }
  | { action: 'warn'; reason: 'idle' | 'max-runtime'; stopAt: Date }
  | { action: 'stop'; reason: 'idle' | 'max-runtime' };

/**
 * What to do with a running session now: stop it (the earlier of its deadlines has passed), warn its
 * owner (that deadline is within the warning window), or nothing. Pure: the reaper applies it.
 */
export function decideDeadline(now: Date, clock: SessionClock, policy: DeadlinePolicy): DeadlineDecision {
  const deadlines: Array<{ reason: 'idle' | 'max-runtime'; at: number }> = [];
  if (policy.idleTimeoutMs !== null) {
    deadlines.push({ reason: 'idle', at: clock.lastActivityAt.getTime() + policy.idleTimeoutMs });
  }
  if (policy.maxRuntimeMs !== null) {
    deadlines.push({ reason: 'max-runtime', at: clock.startedAt.getTime() + policy.maxRuntimeMs });
  }
  if (deadlines.length === 0) return { action: 'none' };
  const first = deadlines.reduce((a, b) => (b.at < a.at ? b : a));
  if (now.getTime() >= first.at) return { action: 'stop', reason: first.reason };
  if (now.getTime() >= first.at - policy.warningMs)
    return { action: 'warn', reason: first.reason, stopAt: new Date(first.at) };
  return { action: 'none' };
}
