/** An approved reservation as allocation sees it. */
export interface HoldingReservation {
  id: string;
  /** The GPU booked; null: any GPU. */
  gpuId: number | null;
  startsAt: Date;
  endsAt: Date;
  userIds: readonly string[];
}

/** What reservations mean for one user's start now. */
export interface AllocationHolds {
  /** GPUs booked for others from now or within the notice: not handed to this user. */
  exclude: ReadonlySet<number>;
  /** A GPU booked for this user, its window open: theirs first, past the queue. */
  reserved: number | null;
  /** Whether this user has a reservation whose window is open (of a GPU or of any GPU). */
  inOwnWindow: boolean;
  /** GPUs to leave free for others' open or imminent any-GPU bookings whose users hold none yet. */
  keepFree: number;
}

/**
 * Which GPUs a start of `userId` may take at `now`. A booking holds its GPU from `noticeMs` before its
 * window opens until it closes, so a session started just before cannot take it; the booked users' own
 * starts inside the window get it. `activeUsers` are the users with an active session now (an any-GPU
 * booking whose user already runs one needs no GPU kept free).
 */
export function holdsFor(
  userId: string,
  reservations: readonly HoldingReservation[],
  now: Date,
  noticeMs: number,
  activeUsers: ReadonlySet<string>,
): AllocationHolds {
  const exclude = new Set<number>();
  let reserved: number | null = null;
  let inOwnWindow = false;
  let keepFree = 0;
  for (const r of reservations) {
    const holding = r.startsAt.getTime() - noticeMs <= now.getTime() && now < r.endsAt;
    if (!holding) continue;
    const own = r.userIds.includes(userId);
    const open = r.startsAt <= now;
    if (own && open) {
      inOwnWindow = true;
      if (r.gpuId !== null) reserved = r.gpuId;
      continue;
    }
    if (own) continue;
    if (r.gpuId !== null) exclude.add(r.gpuId);
    else if (!r.userIds.some((id) => activeUsers.has(id))) keepFree++;
  }
  if (reserved !== null) exclude.delete(reserved);
  return { exclude, reserved, inOwnWindow, keepFree };
}

/** Whether two windows share any instant (a window is [start, end)). */
export function overlaps(a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}
