import { type Knex, type Logger, SubmissionStatus } from '@medforge/shared-schema';

import type { ScoringQueue } from '../ports/scoring-queue';
import { SubmissionRow } from '../db/models/submission.model';

const BATCH = 200;

/**
 * The database is the source of truth; Redis may lose jobs (flushed, restarted without persistence, an
 * enqueue that failed after the row committed). Rows queued or scoring for longer than `staleSeconds`
 * whose job is gone, or finished without finishing the row, get a fresh job.
 */
export class ScoringSweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly knex: Knex,
    private readonly queue: ScoringQueue,
    private readonly staleSeconds: number,
    private readonly logger: Logger,
  ) {}

  start(intervalSeconds: number): void {
    const tick = () => {
      this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'scoring sweep failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalSeconds * 1000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One pass; returns the ids it enqueued again. */
  async sweep(): Promise<string[]> {
    const before = new Date(Date.now() - this.staleSeconds * 1000);
    const stale = await SubmissionRow.query(this.knex)
      .where((q) =>
        q
          .where((queued) => queued.where('status', SubmissionStatus.QUEUED).where('created_at', '<', before))
          .orWhere((scoring) =>
            scoring.where('status', SubmissionStatus.SCORING).where('scoring_started_at', '<', before),
          ),
      )
      .orderBy('created_at')
      .limit(BATCH)
      .select('id');
    const revived: string[] = [];
    for (const { id } of stale) {
      if (await this.queue.isPending(id)) continue;
      await this.queue.requeue(id);
      revived.push(id);
    }
    if (revived.length > 0)
      this.logger.warn({ submissions: revived }, 'enqueued scoring again for rows without a live job');
    return revived;
  }
}
