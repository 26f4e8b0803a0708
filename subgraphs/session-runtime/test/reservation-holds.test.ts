import { holdsFor, overlaps } from '../src/services/reservation-holds';

const now = new Date('2026-12-09T12:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const NOTICE = 30 * 60_000;
const booking = (gpuId: number | null, from: number, to: number, userIds: string[]) => ({
  id: `${gpuId}-${from}`,
  gpuId,
  startsAt: at(from),
  endsAt: at(to),
  userIds,
});

describe('holdsFor (what bookings mean for a start now)', () => {
  it("keeps others' GPUs from the notice on, and gives a booked user their GPU once the window opens", () => {
    const bookings = [booking(1, 20, 120, ['ada']), booking(2, 60, 120, ['ada']), booking(3, -10, 50, ['bob'])];
    expect(holdsFor('carol', bookings, now, NOTICE, new Set())).toEqual({
      exclude: new Set([1, 3]), // GPU 2 opens in an hour: beyond the notice
      reserved: null,
      inOwnWindow: false,
      keepFree: 0,
    });
    // Ada's GPU 1 opens in 20 minutes: not hers yet, but not for others either.
    expect(holdsFor('ada', bookings, now, NOTICE, new Set())).toEqual({
      exclude: new Set([3]),
      reserved: null,
      inOwnWindow: false,
      keepFree: 0,
    });
    expect(holdsFor('bob', bookings, now, NOTICE, new Set())).toEqual({
      exclude: new Set([1]),
      reserved: 3,
      inOwnWindow: true,
      keepFree: 0,
    });
  });

  it("keeps GPUs free for others' any-GPU bookings whose users hold none yet", () => {
    const bookings = [
      booking(null, -5, 60, ['ada', 'bob']),
      booking(null, 10, 60, ['dan']),
      booking(null, -5, 60, ['eve']),
    ];
    expect(holdsFor('carol', bookings, now, NOTICE, new Set(['eve'])).keepFree).toBe(2);
    expect(holdsFor('bob', bookings, now, NOTICE, new Set(['eve']))).toMatchObject({ inOwnWindow: true, keepFree: 1 });
  });

  it('ignores windows that closed', () => {
    expect(holdsFor('carol', [booking(1, -60, 0, ['ada'])], now, NOTICE, new Set()).exclude.size).toBe(0);
  });
});

describe('overlaps', () => {
  it('treats windows as [start, end): back to back is no overlap', () => {
    const w = (a: number, b: number) => ({ startsAt: at(a), endsAt: at(b) });
    expect(overlaps(w(0, 60), w(60, 120))).toBe(false);
    expect(overlaps(w(0, 61), w(60, 120))).toBe(true);
    expect(overlaps(w(10, 20), w(0, 120))).toBe(true);
  });
});
