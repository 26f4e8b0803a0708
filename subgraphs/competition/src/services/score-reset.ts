import { type Knex, SubmissionStatus } from '@medforge/shared-schema';

import { CompetitionRow } from '../db/models/competition.model';
import { SubmissionRow } from '../db/models/submission.model';
import { refreshBest } from './leaderboard-bests';

/**
 * Within `trx`: a finished submission loses its score (and its place on the leaderboard, which falls back
 * to the user's next best) and goes back to QUEUED, ready to be scored again. The daily cap is left as it
 * was: the file was accepted once. Used by an admin's rescore and when the holdouts were replaced.
 */
export async function resetForRescore(trx: Knex.Transaction, submission: SubmissionRow): Promise<SubmissionRow> {
  await trx('submission_scores').where({ submission_id: submission.id }).delete();
  const competition = (await CompetitionRow.query(trx).findById(submission.competition_id))!;
  await refreshBest(trx, competition, submission.user_id);
  await SubmissionRow.query(trx).findById(submission.id).patch({
    status: SubmissionStatus.QUEUED,
    error_message: null,
    row_count: null,
    scoring_started_at: null,
    finished_at: null,
  });
  return (await SubmissionRow.query(trx).findById(submission.id))!;
}
