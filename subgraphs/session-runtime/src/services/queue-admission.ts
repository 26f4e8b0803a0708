import { type Knex, SessionStatus } from '@medforge/shared-schema';

import { SessionRow } from '../db/models/session.model';
import type { SessionQueue } from './session-queue';
import type { SessionTransitions } from './session-transitions';

/** How the lifecycle starts a session the queue promoted: provisioning in the background, then `afterwards`. */
export type LaunchPromoted = (row: SessionRow, requestId: string, afterwards: () => Promise<void>) => void;

/**
 * The queue's side of the lifecycle: offering free GPUs to the waiting sessions (the promoted ones start
 * as any other), telling those still waiting their new places, and taking a session out of the queue. One
 * promotion pass at a time in this process (the database serialises passes across processes); a call
 * during a pass makes one more pass follow it.
 */
export class QueueAdmission {
  private admitting: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly knex: Knex,
    private readonly queue: SessionQueue,
    private readonly transitions: SessionTransitions,
    private readonly launch: LaunchPromoted,
    /** After a session that waited is RUNNING (the notification webhook). */
    private readonly startedFromQueue: (row: SessionRow) => Promise<void>,
  ) {}

  /** Offers the free GPUs to the queue. */
  admit(): Promise<void> {
    if (this.admitting) {
      this.again = true;
      return this.admitting;
    }
    this.admitting = (async () => {
      do {
        this.again = false;
        await this.admitOnce();
      } while (this.again);
    })().finally(() => {
      this.admitting = null;
    });
    return this.admitting;
  }

  /** Takes a waiting session out of the queue (STOPPED, left-queue); null when it was no longer waiting. */
  async leave(sessionId: string): Promise<{ row: SessionRow; placesTold: Promise<void> } | null> {
    const left = await this.queue.leave(sessionId);
    if (!left) return null;
    await this.transitions.announce(left, { reason: 'left-queue' });
    return { row: left, placesTold: this.announcePlaces() };
  }

  /** Recovery: a promoted session whose start never began goes back to its place; false when it was not one. */
  async requeue(row: SessionRow, reason: string): Promise<boolean> {
    const requeued = await this.queue.requeue(row);
    if (requeued) await this.transitions.announce(requeued, { requeued: reason });
    return requeued !== null;
  }

  /** Every waiting session announced again: their places (and estimates) are read when delivered. */
  private async announcePlaces(): Promise<void> {
    for (const row of await this.queue.waiting()) await this.transitions.announce(row);
  }

  private async admitOnce(): Promise<void> {
    if (!(await this.queue.hasWaiting())) return;
    for (const row of await this.queue.promote()) {
      await this.transitions.announce(row, { from_queue: true });
      this.launch(row, `req_queue_${row.id}`, () => this.tellStarted(row.id));
    }
    await this.announcePlaces();
  }

  private async tellStarted(id: string): Promise<void> {
    const row = await SessionRow.query(this.knex).findById(id);
    if (row?.status === SessionStatus.RUNNING) await this.startedFromQueue(row);
  }
}
