import { formatBytes, formatScore } from '../src/lib/format';

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
