/** "GPU 3" or "any GPU". */
export function gpuName(gpuIndex: number | null): string {
  return gpuIndex === null ? 'any GPU' : `GPU ${gpuIndex}`;
}

/**
 * A window as the form gives it (datetime-local values, in the browser's time zone) as instants; null
 * with why when it cannot be one.
 */
export function windowFrom(start: string, end: string): { startsAt: string; endsAt: string } | { error: string } {
  const startsAt = new Date(start);
  const endsAt = new Date(end);
  if (!start || Number.isNaN(startsAt.getTime())) return { error: 'Choose when it starts' };
  if (!end || Number.isNaN(endsAt.getTime())) return { error: 'Choose when it ends' };
  if (endsAt <= startsAt) return { error: 'It must end after it starts' };
  return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}
