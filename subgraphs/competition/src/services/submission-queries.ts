import type { Knex } from '@medforge/shared-schema';

import { SubmissionRow } from '../db/models/submission.model';

export interface SubmissionWithScore extends SubmissionRow {
  primary_score: number | null;
}

/** Read side of submissions. */
export class SubmissionQueries {
  constructor(private readonly knex: Knex) {}

  async forUser(userId: string, competitionId: string | null, limit: number): Promise<SubmissionWithScore[]> {
    const rows = await SubmissionRow.query(this.knex)
      .leftJoin('submission_scores', 'submission_scores.submission_id', 'submissions.id')
      .where('submissions.user_id', userId)
      .modify((q) => {
        if (competitionId) void q.where('submissions.competition_id', competitionId);
      })
      .select('submissions.*', 'submission_scores.primary_score')
      .orderBy([
        { column: 'submissions.created_at', order: 'desc' },
        { column: 'submissions.id', order: 'desc' },
      ])
      .limit(limit);
    return rows as SubmissionWithScore[];
  }
}
