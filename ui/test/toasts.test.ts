import { createToasts } from '../src/composables/toasts';
import type { SessionSummary } from '../src/composables/sessions';
import { outcomeOf } from '../src/lib/session-outcome';
import { session } from './fixtures';

describe('toasts', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('shows each toast for a while, and a dismissed one goes at once', () => {
    const toasts = createToasts();
    toasts.show('Session k3n7qz2a is running');
    toasts.show('preds.csv could not be scored', 'error');
    expect(toasts.list.value.map((t) => t.tone)).toEqual(['ok', 'error']);
    toasts.dismiss(toasts.list.value[0]!.id);
    expect(toasts.list.value.map((t) => t.text)).toEqual(['preds.csv could not be scored']);
    jest.advanceTimersByTime(8_000);
    expect(toasts.list.value).toEqual([]);
  });
});

describe('the outcome of a start or stop', () => {
  const at = (status: SessionSummary['status'], extra: Partial<SessionSummary> = {}) => ({
    ...session,
    status,
    ...extra,
  });

  it('is told when the session runs, stops (with its snapshot) or fails; not while it is under way', () => {
    expect(outcomeOf('start', at('STARTING'))).toBeNull();
    expect(outcomeOf('start', at('RUNNING'))).toEqual({ text: 'Session k3n7qz2a is running', tone: 'ok' });
    expect(outcomeOf('start', at('ERROR'))).toEqual({ text: 'Session k3n7qz2a could not start', tone: 'error' });
    expect(outcomeOf('stop', at('STOPPING'))).toBeNull();
    expect(outcomeOf('stop', at('STOPPED', { snapshotName: 'pool/u/home@stop-1-k3n7qz2a' }))).toEqual({
      text: 'Session k3n7qz2a stopped; home saved as snapshot stop-1-k3n7qz2a',
      tone: 'ok',
    });
    expect(outcomeOf('stop', at('ERROR'))?.tone).toBe('error');
  });
});
