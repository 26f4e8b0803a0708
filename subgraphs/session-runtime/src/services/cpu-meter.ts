interface CpuReading {
  at: number;
  usageNs: number;
}

/**
 * A container's mean CPU use over a window, from readings of its cumulative CPU time taken at each look
 * (kept in memory: after a restart the first look has nothing to compare with and says null).
 */
export class CpuMeter {
  private readonly readings = new Map<string, CpuReading[]>();

  constructor(private readonly windowMs: number) {}

  /**
   * Records a reading and returns the mean use, in percent of one core, since the newest reading at least
   * a window old (or the oldest one there is); null with nothing to compare with.
   */
  record(sessionId: string, at: Date, usageNs: number | null): number | null {
    if (usageNs === null) return null;
    const now = at.getTime();
    // A counter that went backwards belongs to an earlier container: its readings say nothing now.
    const earlier = (this.readings.get(sessionId) ?? []).filter((r) => r.at < now && r.usageNs <= usageNs);
    const windowOld = earlier.filter((r) => now - r.at >= this.windowMs).pop();
    const from = windowOld ?? earlier[0];
    // What the next look may compare with: the newest window-old reading and everything younger.
    this.readings.set(sessionId, [
      ...(windowOld ? [windowOld] : []),
      ...earlier.filter((r) => now - r.at < this.windowMs),
      { at: now, usageNs },
    ]);
    return from ? ((usageNs - from.usageNs) / 1e6 / (now - from.at)) * 100 : null;
  }

  /** Drops the readings of sessions no longer looked at. */
  keepOnly(sessionIds: ReadonlySet<string>): void {
    for (const id of this.readings.keys()) if (!sessionIds.has(id)) this.readings.delete(id);
  }
}
