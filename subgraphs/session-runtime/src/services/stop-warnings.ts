import { type Knex, type Logger, SessionStatus } from '@medforge/shared-schema';

import { type ContainerRuntime, containerNameFor } from '../ports/container-runtime';
import type { NotificationSink, OwnerDirectory } from '../ports/notification-sink';
import { SessionRow } from '../db/models/session.model';
import type { SessionEventSink } from './session-events';

import type { DeadlineReason } from './session-deadlines';

/** A stop the owner is warned of before it happens. */
export type WarnedStop = DeadlineReason;

/**
 * Tells a session's owner, where they are, that it is about to be stopped: the console (the announced
 * stop on `sessionUpdated`), the workbench and every terminal of the session, and the installation's
 * notification webhook. A withdrawn warning (the session is in use again, or kept running) comes down
 * everywhere it can. Delivery inside the session and to the webhook is best effort and never holds the
 * reaper: the database and the console's event are the record.
 */
export class StopWarnings {
  constructor(
    private readonly knex: Knex,
    private readonly runtime: ContainerRuntime,
    private readonly events: SessionEventSink,
    private readonly webhook: NotificationSink,
    private readonly owners: OwnerDirectory,
    private readonly instance: string,
    private readonly logger: Logger,
  ) {}

  async announce(row: SessionRow, stopAt: Date, reason: WarnedStop): Promise<void> {
    const current = await this.record(row, stopAt, reason);
    if (!current) return;
    const message = warningMessage(current, stopAt, reason);
    await this.deliverInside(current, () =>
      this.runtime.notify(containerNameFor(current.slug), {
        kind: 'stop-warning',
        message,
        stopAt: stopAt.toISOString(),
      }),
    );
    void this.tellWebhook(current, stopAt, reason, message);
  }

  async withdraw(row: SessionRow): Promise<void> {
    const current = await this.record(row, null, null);
    if (current) await this.deliverInside(current, () => this.runtime.notify(containerNameFor(current.slug), null));
  }

  /** The announced stop on the row, and the console's event; null when the session no longer runs. */
  private async record(row: SessionRow, at: Date | null, reason: WarnedStop | null): Promise<SessionRow | null> {
    const updated = await SessionRow.query(this.knex)
      .where({ id: row.id, status: SessionStatus.RUNNING })
      .patch({ stop_scheduled_at: at, stop_scheduled_reason: reason, updated_at: new Date() });
    if (updated === 0) return null;
    const current = (await SessionRow.query(this.knex).findById(row.id)) ?? null;
    if (current) await this.events.changed(current, { stop_scheduled_at: at, stop_scheduled_reason: reason });
    return current;
  }

  private async deliverInside(row: SessionRow, deliver: () => Promise<void>): Promise<void> {
    try {
      await deliver();
    } catch (error) {
      this.logger.warn({ err: error, session_id: row.id, slug: row.slug }, 'could not show the notice in the session');
    }
  }

  private async tellWebhook(row: SessionRow, stopAt: Date, reason: WarnedStop, message: string): Promise<void> {
    const contact = await this.owners.contact(row.user_id, `stop-warning-${row.id}`).catch(() => ({
      email: null,
      displayName: null,
    }));
    await this.webhook.send({
      event: 'session.stop_warning',
      at: new Date().toISOString(),
      instance: this.instance,
      user: { id: row.user_id, ...contact },
      session: { id: row.id, slug: row.slug, name: row.name, exposure: row.exposure.toUpperCase() },
      stop: { at: stopAt.toISOString(), reason },
      message,
    });
  }
}

/** What the owner reads, the same wherever it reaches them. */
export function warningMessage(row: SessionRow, stopAt: Date, reason: WarnedStop): string {
  const which = row.name ? `"${row.name}" (${row.slug})` : row.slug;
  const when = `${stopAt.toISOString().slice(11, 16)} UTC`;
  if (reason === 'idle')
    return `Session ${which} looks idle and will be stopped at ${when}; run "medforge keepalive" or choose Keep running to keep it.`;
  if (reason === 'reservation')
    return `Session ${which} will be stopped at ${when}: its GPU is reserved for someone else from then. Save your work; your home is snapshotted when it stops.`;
  return `Session ${which} reaches its maximum runtime and will be stopped at ${when}; choose Keep running to extend it, if the installation allows.`;
}
