import { formatBytes, formatScore } from '../src/lib/format';
import { ordinal, queuedText, queueText } from '../src/lib/session-queue';

describe('format', () => {
  it('writes sizes in the unit a person reads', () => {
    expect(formatBytes(8 * 1024 * 1024)).toBe('8 MiB');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MiB');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GiB');
  });

  it('writes scores to four places, and a dash for none', () => {
    expect(formatScore(0.87654)).toBe('0.8765');
    expect(formatScore(null)).toBe('—');
  });
});

describe('queue words', () => {
  it('writes places as ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ]);
  });

  it("tells a waiting session's place, and when it may start when there is an estimate", () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const base = { slug: 'k3n7qz2a', queuePosition: 1, estimatedStartAt: null };
    expect(queueText(base, now)).toBe('Waiting for a GPU: 1st in line');
    expect(queueText({ ...base, estimatedStartAt: '2026-11-22T12:10:00Z' }, now)).toMatch(
      /^Waiting for a GPU: 1st in line, expected in 2 h 10 min \(around .+\)$/,
    );
    expect(queuedText({ ...base, queuePosition: 3 })).toBe(
      'Every GPU is taken: session k3n7qz2a waits 3rd in line and starts by itself',
    );
  });
});
