import { estimateStarts, orderQueue } from '../src/services/queue-order';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute));
const HOUR = 3_600_000;

describe('orderQueue (who gets the next free GPU)', () => {
  const entries = [
    { id: 's1', userId: 'heavy', queuedAt: at(0) },
    { id: 's2', userId: 'light', queuedAt: at(5) },
    { id: 's3', userId: 'none', queuedAt: at(10) },
    { id: 's4', userId: 'light', queuedAt: at(1) },
  ];

  it('puts whoever used fewer GPU-hours in the window first, ties by arrival', () => {
    const usage = new Map([
      ['heavy', 40 * HOUR],
      ['light', 2 * HOUR],
    ]);
    expect(orderQueue(entries, usage).map((e) => e.id)).toEqual(['s3', 's4', 's2', 's1']);
  });

  it('is first come, first served when nobody used anything', () => {
    expect(orderQueue(entries, new Map()).map((e) => e.id)).toEqual(['s1', 's4', 's2', 's3']);
  });

  it('breaks an exact tie by session id, so every pass agrees', () => {
    const tied = [
      { id: 'b', userId: 'u', queuedAt: at(0) },
      { id: 'a', userId: 'v', queuedAt: at(0) },
    ];
    expect(orderQueue(tied, new Map()).map((e) => e.id)).toEqual(['a', 'b']);
    expect(orderQueue([...tied].reverse(), new Map()).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('leaves its input alone', () => {
    const copy = [...entries];
    orderQueue(entries, new Map([['heavy', 1]]));
    expect(entries).toEqual(copy);
  });
});

describe('estimateStarts (when each place can expect a GPU)', () => {
  const now = at(0).getTime();

  it("gives the first places the busy GPUs' expected ends, in order", () => {
    const ends = [at(30).getTime(), at(10).getTime(), at(20).getTime()];
    expect(estimateStarts(ends, 3, HOUR, now)).toEqual([at(10), at(20), at(30)].map((d) => d.getTime()));
  });

  it('hands a GPU on after a typical session once every GPU has been promised', () => {
    const ends = [at(10).getTime(), at(40).getTime()];
    // place 3 waits for GPU A again: 09:10 + 60 min = 10:10, before GPU B's second turn (09:40 + 60)
    expect(estimateStarts(ends, 4, HOUR, now)).toEqual([
      at(10).getTime(),
      at(40).getTime(),
      at(70).getTime(),
      at(100).getTime(),
    ]);
  });

  it('counts an end already past, or a free GPU, as now', () => {
    expect(estimateStarts([now - 5 * 60_000, now], 2, HOUR, now)).toEqual([now, now]);
  });

  it('has no estimate without any GPU', () => {
    expect(estimateStarts([], 3, HOUR, now)).toEqual([]);
  });
});
