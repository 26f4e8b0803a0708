import type { Knex } from '@medforge/shared-schema';

/**
 * Recomputes one user's best submission of a competition from submission_scores (the source of truth),
 * inside the transaction that changed their scores. The locking read serializes two scorings of the same
 * user; should they deadlock, one transaction is retried by its job. Idempotent by construction.
 */
export async function refreshBest(
  trx: Knex.Transaction,
  competition: { id: string; higher_is_better: boolean },
  userId: string,
): Promise<void> {
  const rankScore = competition.higher_is_better ? 'primary_score' : '-primary_score';
  const best = (await trx('submission_scores')
    .where({ competition_id: competition.id, user_id: userId })
    .orderByRaw(`${rankScore} DESC, submitted_at ASC, submission_id ASC`)
    .first('submission_id', 'primary_score', 'submitted_at')
    .forUpdate()) as { submission_id: string; primary_score: number; submitted_at: Date } | undefined;
  const key = { competition_id: competition.id, user_id: userId };
  if (!best) {
    await trx('leaderboard_bests').where(key).delete();
    return;
  }
  const row = {
    ...best,
    rank_score: competition.higher_is_better ? best.primary_score : -best.primary_score,
  };
  await trx('leaderboard_bests')
    .insert({ ...key, ...row })
    .onConflict(['competition_id', 'user_id'])
    .merge(row);
}
