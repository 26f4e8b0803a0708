import { fitErrorMessage } from '../src/services/session-teardown';

describe('fitErrorMessage (the 1024 characters of a session error)', () => {
  it('keeps a message that fits as it is', () => {
    expect(fitErrorMessage('Starting failed: no such image')).toBe('Starting failed: no such image');
  });

  it("keeps what failed and the end of the container's log, where the cause is", () => {
    const log = Array.from({ length: 200 }, (_, i) => `log line ${i}`).join('\n');
    const fitted = fitErrorMessage(`Starting failed: the container exited with code 1\n${log}`);
    expect(fitted.length).toBeLessThanOrEqual(1024);
    expect(fitted.startsWith('Starting failed: the container exited with code 1\n…')).toBe(true);
    expect(fitted.endsWith('log line 199')).toBe(true);
  });

  it('keeps the beginning of a long message of one line', () => {
    const fitted = fitErrorMessage(`The session ended unexpectedly: ${'x'.repeat(2000)}`);
    expect(fitted).toHaveLength(1024);
    expect(fitted.startsWith('The session ended unexpectedly: xxx')).toBe(true);
  });
});
