import type { Knex } from '@medforge/shared-schema';
import type { ModelObject } from 'objection';

import { SubmissionRow } from '../db/models/submission.model';

export interface SubmissionWithScore extends ModelObject<SubmissionRow> {
  primary_score: number | null;
  score_components: Record<string, unknown> | null;
  scorer_version: string | null;
  holdout_sha256: string | null;
}

const WITH_SCORE = [
  'submissions.*',
  'submission_scores.primary_score',
  'submission_scores.score_components',
  'submission_scores.scorer_version',
  'submission_scores.holdout_sha256',
];

/** Read side of submissions. */
export class SubmissionQueries {
  constructor(private readonly knex: Knex) {}

  async forUser(userId: string, competitionId: string | null, limit: number): Promise<SubmissionWithScore[]> {
    const rows = await newestWithScores(
      SubmissionRow.query(this.knex)
        .where('submissions.user_id', userId)
        .modify((q) => {
          if (competitionId) void q.where('submissions.competition_id', competitionId);
        }),
    ).limit(limit);
    return (rows as unknown as SubmissionWithScore[]).map(parseComponents);
  }

  /** Every submission, newest first, optionally of one competition and/or status (admin views). */
  async all(
    filter: { competitionId: string | null; status: SubmissionRow['status'] | null },
    limit: number,
    offset: number,
  ): Promise<{ rows: SubmissionWithScore[]; total: number }> {
    const filtered = () =>
      SubmissionRow.query(this.knex).modify((q) => {
        if (filter.competitionId) void q.where('submissions.competition_id', filter.competitionId);
        if (filter.status) void q.where('submissions.status', filter.status);
      });
    const [rows, counted] = await Promise.all([
      newestWithScores(filtered()).limit(limit).offset(offset),
      filtered().count({ total: '*' }).first(),
    ]);
    return {
      rows: (rows as unknown as SubmissionWithScore[]).map(parseComponents),
      total: Number((counted as unknown as { total: number | string } | undefined)?.total ?? 0),
    };
  }

  async byId(id: string): Promise<SubmissionWithScore | null> {
    const row = await SubmissionRow.query(this.knex)
      .leftJoin('submission_scores', 'submission_scores.submission_id', 'submissions.id')
      .where('submissions.id', id)
      .select(WITH_SCORE)
      .first();
    return row ? parseComponents(row as unknown as SubmissionWithScore) : null;
  }
}

/** Submissions with their score (if any), newest first. */
function newestWithScores<Q extends ReturnType<typeof SubmissionRow.query>>(query: Q): Q {
  return query
    .leftJoin('submission_scores', 'submission_scores.submission_id', 'submissions.id')
    .select(WITH_SCORE)
    .orderBy([
      { column: 'submissions.created_at', order: 'desc' },
      { column: 'submissions.id', order: 'desc' },
    ]) as Q;
}

/** MariaDB's JSON is LONGTEXT: it arrives as a string. */
function parseComponents(row: SubmissionWithScore): SubmissionWithScore {
  const raw = row.score_components as unknown;
  return {
    ...row,
    score_components: typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : (raw as null),
  };
}
