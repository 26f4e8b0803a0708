import type { SessionFieldsFragment } from '../graphql/generated/graphql';
import { formatIn, formatTime } from './format';

type Queued = Pick<SessionFieldsFragment, 'slug' | 'queuePosition' | 'estimatedStartAt'>;

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** What a waiting session's card says: "Waiting for a GPU: 2nd in line, expected in 25 min (around 14:05)". */
export function queueText(session: Queued, now: Date): string {
  const place = session.queuePosition ? `${ordinal(session.queuePosition)} in line` : 'in line';
  if (!session.estimatedStartAt) return `Waiting for a GPU: ${place}`;
  return `Waiting for a GPU: ${place}, expected ${formatIn(session.estimatedStartAt, now)} (around ${formatTime(session.estimatedStartAt)})`;
}

/** The toast when a start joins the queue. */
export function queuedText(session: Queued): string {
  return `Every GPU is taken: session ${session.slug} waits ${session.queuePosition ? `${ordinal(session.queuePosition)} in line` : 'in line'} and starts by itself`;
}
