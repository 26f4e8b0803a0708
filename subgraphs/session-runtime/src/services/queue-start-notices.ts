import type { Clock } from '@medforge/shared-schema';
import { systemClock } from '@medforge/shared-schema';

import type { SessionRow } from '../db/models/session.model';
import type { NotificationSink, OwnerDirectory } from '../ports/notification-sink';

/**
 * Tells the installation's notification webhook that a session which waited in the queue has its GPU and
 * runs (the console hears it on sessionUpdated): someone who queued a start and walked away learns it
 * where they are. Best effort, like every notification.
 */
export class QueueStartNotices {
  constructor(
    private readonly webhook: NotificationSink,
    private readonly owners: OwnerDirectory,
    private readonly instance: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async started(row: SessionRow): Promise<void> {
    if (!row.queued_at) return;
    const now = this.clock.now();
    const contact = await this.owners.contact(row.user_id, `queue-start-${row.id}`).catch(() => ({
      email: null,
      displayName: null,
    }));
    const waitedSeconds = Math.max(0, Math.round((now.getTime() - row.queued_at.getTime()) / 1000));
    await this.webhook.send({
      event: 'session.started_from_queue',
      at: now.toISOString(),
      instance: this.instance,
      user: { id: row.user_id, ...contact },
      session: { id: row.id, slug: row.slug, name: row.name, exposure: row.exposure.toUpperCase() },
      queue: { joinedAt: row.queued_at.toISOString(), waitedSeconds },
      message: queueStartMessage(row, waitedSeconds),
    });
  }
}

/** "Session "nnunet-fold0" (k3n7qz2a) has its GPU and is running, after 25 min in the queue." */
export function queueStartMessage(row: Pick<SessionRow, 'name' | 'slug'>, waitedSeconds: number): string {
  const which = row.name ? `"${row.name}" (${row.slug})` : row.slug;
  const minutes = Math.round(waitedSeconds / 60);
  const waited =
    minutes < 1
      ? 'less than a minute'
      : minutes < 60
        ? `${minutes} min`
        : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `Session ${which} has its GPU and is running, after ${waited} in the queue.`;
}
