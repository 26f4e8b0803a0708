import { type Knex, type Logger, SubmissionStatus } from '@medforge/shared-schema';

import type { ScoringQueue } from '../ports/scoring-queue';
import { SubmissionRow } from '../db/models/submission.model';
import type { Holdout } from '../holdouts/holdout-store';
import { resetForRescore } from '../services/score-reset';
import type { SubmissionEvents } from '../services/submission-events';

/**
 * Scores made against other holdouts than the ones this worker verified (they were replaced: secret labels
 * instead of reproducible ones, or the real labels imported) say nothing any more. At start, every such
 * submission loses its score and is queued again; returns how many were.
 */
export async function requeueStaleScores(
  knex: Knex,
  holdouts: ReadonlyMap<string, Holdout>,
  queue: ScoringQueue,
  events: SubmissionEvents,
  logger: Logger,
): Promise<number> {
  let requeued = 0;
  for (const [slug, holdout] of holdouts) {
    const stale = (await knex('submissions as s')
      .join('submission_scores as sc', 'sc.submission_id', 's.id')
      .join('competitions as c', 'c.id', 's.competition_id')
      .where({ 'c.slug': slug, 's.status': SubmissionStatus.SCORED })
      .whereNot('sc.holdout_sha256', holdout.sha256)
      .orderBy('s.created_at')
      .select('s.id')) as Array<{ id: string }>;
    for (const { id } of stale) {
      const row = await knex.transaction(async (trx) => {
        const current = await SubmissionRow.query(trx).findById(id).forUpdate();
        return current?.status === SubmissionStatus.SCORED ? await resetForRescore(trx, current) : null;
      });
      if (!row) continue;
      await queue.requeue(id);
      await events.changed(row, slug, { rescore_reason: 'holdouts replaced' });
      requeued++;
    }
    if (stale.length > 0) {
      logger.warn(
        { competition: slug, submissions: stale.length },
        'holdouts replaced: scoring these submissions again',
      );
    }
  }
  return requeued;
}
