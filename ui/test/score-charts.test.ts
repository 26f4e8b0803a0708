import { binOf, scoreSeries } from '../src/lib/score-charts';

describe('score charts data', () => {
  it('orders scored submissions by time and keeps the best so far; pending and failed ones are left out', () => {
    const series = scoreSeries(
      [
        { createdAt: '2026-12-02T10:02:00Z', primaryScore: 0.7, status: 'SCORED' },
        { createdAt: '2026-12-02T10:00:00Z', primaryScore: 0.8, status: 'SCORED' },
        { createdAt: '2026-12-02T10:03:00Z', primaryScore: null, status: 'FAILED' },
        { createdAt: '2026-12-02T10:04:00Z', primaryScore: null, status: 'QUEUED' },
        { createdAt: '2026-12-02T10:05:00Z', primaryScore: 0.9, status: 'SCORED' },
      ],
      (iso) => iso.slice(11, 16),
    );
    expect(series).toEqual({
      labels: ['10:00', '10:02', '10:05'],
      scores: [0.8, 0.7, 0.9],
      bestSoFar: [0.8, 0.8, 0.9],
    });
  });

  it("finds the viewer's bin, a perfect score in the last one", () => {
    const bins = Array.from({ length: 4 }, (_, i) => ({ from: i / 4, to: (i + 1) / 4, count: 1 }));
    expect(binOf(bins, 0.3)).toBe(1);
    expect(binOf(bins, 0.25)).toBe(1);
    expect(binOf(bins, 1)).toBe(3);
    expect(binOf(bins, 0)).toBe(0);
    expect(binOf(bins, null)).toBe(-1);
  });
});
