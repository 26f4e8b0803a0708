/**
 * When a session counts as in use, beyond a connected browser: an open SSH connection, a GPU or a
 * container CPU busy above a threshold over a window, or a process its user marked (`medforge keepalive
 * -- <command>`). Thresholds and the window are the installation's (SESSION_BUSY_*).
 */
export interface BusyThresholds {
  /** Mean CPU use of the container over the window, in percent of one core. */
  cpuPercent: number;
  /** Mean utilisation of the session's GPU over the window, in percent. */
  gpuPercent: number;
  windowMs: number;
}

/** What was seen of a session in one look; null where a signal is not available (no GPU readings yet). */
export interface ActivityEvidence {
  sshConnections: number;
  cpuPercent: number | null;
  gpuPercent: number | null;
  keptProcesses: ReadonlyArray<{ pid: number; command: string }>;
}

export interface ActivityVerdict {
  /** In use right now: the idle clock starts again from this moment. */
  busyNow: boolean;
  /** Why, in words for its owner ("GPU 87 %"); null when nothing counts now. */
  reason: string | null;
}

const MAX_COMMAND = 60;

/** The strongest sign of work first: a marked process, the GPU, the CPU, then SSH. Pure. */
export function assessActivity(evidence: ActivityEvidence, thresholds: BusyThresholds): ActivityVerdict {
  const kept = evidence.keptProcesses[0];
  if (kept) {
    const command = kept.command.length > MAX_COMMAND ? `${kept.command.slice(0, MAX_COMMAND - 1)}…` : kept.command;
    const more = evidence.keptProcesses.length > 1 ? ` and ${evidence.keptProcesses.length - 1} more` : '';
    return { busyNow: true, reason: `kept running by "${command || `pid ${kept.pid}`}"${more}` };
  }
  if (evidence.gpuPercent !== null && evidence.gpuPercent >= thresholds.gpuPercent) {
    return { busyNow: true, reason: `GPU ${Math.round(evidence.gpuPercent)} %` };
  }
  if (evidence.cpuPercent !== null && evidence.cpuPercent >= thresholds.cpuPercent) {
    return { busyNow: true, reason: `CPU ${Math.round(evidence.cpuPercent)} %` };
  }
  if (evidence.sshConnections > 0) {
    const n = evidence.sshConnections;
    return { busyNow: true, reason: `${n} SSH connection${n === 1 ? '' : 's'}` };
  }
  return { busyNow: false, reason: null };
}

/** The reason recorded when the workbench's own heartbeat moved the last activity forward. */
export const WORKBENCH_REASON = 'workbench in use';
