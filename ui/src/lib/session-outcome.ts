import type { SessionFieldsFragment } from '../graphql/generated/graphql';
import { snapshotShortName } from './format';

/** What a finished start or stop tells the user; null while it is still under way. */
export function outcomeOf(
  action: 'start' | 'stop',
  session: Pick<SessionFieldsFragment, 'slug' | 'status' | 'snapshotName' | 'stopReason'>,
): { text: string; tone: 'ok' | 'error' } | null {
  if (session.status === 'ERROR') {
    return {
      text: `Session ${session.slug} ${action === 'start' ? 'could not start' : 'ended with an error'}`,
      tone: 'error',
    };
  }
  if (action === 'start' && session.status === 'RUNNING')
    return { text: `Session ${session.slug} is running`, tone: 'ok' };
  if (action === 'stop' && session.status === 'STOPPED' && session.stopReason === 'LEFT_QUEUE')
    return { text: `Session ${session.slug} left the queue`, tone: 'ok' };
  if (action === 'stop' && session.status === 'STOPPED') {
    const snapshot = session.snapshotName ? `; home saved as snapshot ${snapshotShortName(session.snapshotName)}` : '';
    return { text: `Session ${session.slug} stopped${snapshot}`, tone: 'ok' };
  }
  return null;
}
