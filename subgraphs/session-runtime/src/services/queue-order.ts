/** A session waiting for a GPU, as the queue's order sees it. */
export interface QueueEntry {
  id: string;
  userId: string;
  queuedAt: Date;
}

/**
 * The queue's order: whoever used fewer GPU-hours in the fairness window goes first (so a lab member who
 * has had nothing this week is not stuck behind someone on their tenth run); equal usage, whoever came
 * first; the session id breaks exact ties so every pass agrees. Usage is what each user's sessions held a
 * GPU within the window, whatever their status now.
 */
export function orderQueue<E extends QueueEntry>(entries: readonly E[], gpuMsByUser: ReadonlyMap<string, number>): E[] {
  return [...entries].sort(
    (a, b) =>
      (gpuMsByUser.get(a.userId) ?? 0) - (gpuMsByUser.get(b.userId) ?? 0) ||
      a.queuedAt.getTime() - b.queuedAt.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * When each place in the queue can expect a GPU: the GPUs become free at `gpuFreeAt` (now for a free one,
 * a session's expected end for a busy one); each goes to the next in line, who then holds it for a typical
 * session's length. The n-th answer is the n-th place's estimate. A GPU that is free now (a place that
 * could not be served: its owner at their active limit) counts as free now.
 */
export function estimateStarts(
  gpuFreeAt: readonly number[],
  places: number,
  typicalSessionMs: number,
  now: number,
): number[] {
  if (gpuFreeAt.length === 0) return [];
  const free = gpuFreeAt.map((at) => Math.max(at, now)).sort((a, b) => a - b);
  const starts: number[] = [];
  for (let place = 0; place < places; place++) {
    const at = free.shift()!;
    starts.push(at);
    insertSorted(free, at + typicalSessionMs);
  }
  return starts;
}

function insertSorted(sorted: number[], value: number): void {
  let i = sorted.findIndex((v) => v > value);
  if (i < 0) i = sorted.length;
  sorted.splice(i, 0, value);
}
