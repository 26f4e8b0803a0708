import { decideDeadline } from '../src/services/session-deadlines';

const MIN = 60_000;
const started = new Date('2026-12-03T08:00:00Z');
const at = (minutes: number) => new Date(started.getTime() + minutes * MIN);
const policy = { idleTimeoutMs: 60 * MIN, maxRuntimeMs: 8 * 60 * MIN, warningMs: 10 * MIN };

describe('session deadlines', () => {
  it('leaves an active session alone, warns before the idle stop, then stops it', () => {
    const clock = { startedAt: started, lastActivityAt: at(30) };
    expect(decideDeadline(at(60), clock, policy)).toEqual({ action: 'none' });
    expect(decideDeadline(at(81), clock, policy)).toEqual({ action: 'warn', reason: 'idle', stopAt: at(90) });
    expect(decideDeadline(at(90), clock, policy)).toEqual({ action: 'stop', reason: 'idle' });
  });

  it('stops a busy session at its maximum runtime, warning first', () => {
    const busy = (minutes: number) => ({ startedAt: started, lastActivityAt: at(minutes) });
    expect(decideDeadline(at(475), busy(475), policy)).toEqual({
      action: 'warn',
      reason: 'max-runtime',
      stopAt: at(480),
    });
    expect(decideDeadline(at(480), busy(480), policy)).toEqual({ action: 'stop', reason: 'max-runtime' });
  });

  it('takes whichever deadline comes first, and does nothing when both are off', () => {
    const clock = { startedAt: started, lastActivityAt: at(450) };
    expect(decideDeadline(at(475), clock, policy)).toMatchObject({ reason: 'max-runtime' });
    const off = { idleTimeoutMs: null, maxRuntimeMs: null, warningMs: 10 * MIN };
    expect(decideDeadline(at(10_000), clock, off)).toEqual({ action: 'none' });
  });

  it("stops a session at the start of its GPU's booking for someone else, whatever keeps it alive", () => {
    const kept = { startedAt: started, lastActivityAt: at(100), keepAliveUntil: at(600), reservedFrom: at(120) };
    expect(decideDeadline(at(100), kept, policy)).toEqual({ action: 'none' });
    expect(decideDeadline(at(111), kept, policy)).toEqual({ action: 'warn', reason: 'reservation', stopAt: at(120) });
    expect(decideDeadline(at(120), kept, policy)).toEqual({ action: 'stop', reason: 'reservation' });
  });
});
