import type { Knex } from '@medforge/shared-schema';

import type { CompetitionRow } from '../db/models/competition.model';

export interface LeaderboardEntryRecord {
  rank: number;
  userId: string;
  submissionId: string;
  score: number;
  submittedAt: Date;
}

export interface LeaderboardPageRecord {
  entries: LeaderboardEntryRecord[];
  totalEntries: number;
}

interface RankedRow {
  user_id: string;
  submission_id: string;
  primary_score: number;
  submitted_at: Date;
  position: number | string;
}

/**
 * Best score per user; ties go to the earlier submission, then the smaller submission id. The same
 * ordering picks each user's best row and ranks users, so the board is deterministic.
 */
export class Leaderboard {
  constructor(private readonly knex: Knex) {}

  async page(competition: CompetitionRow, limit: number, offset: number): Promise<LeaderboardPageRecord> {
    const direction = competition.higher_is_better ? 'DESC' : 'ASC';
    const order = `primary_score ${direction}, submitted_at ASC, submission_id ASC`;
    const best = this.knex
      .select('user_id', 'submission_id', 'primary_score', 'submitted_at')
      .select(this.knex.raw(`ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ${order}) AS user_pick`))
      .from('submission_scores')
      .where('competition_id', competition.id)
      .as('scored');
    const ranked = this.knex
      .select('user_id', 'submission_id', 'primary_score', 'submitted_at')
      .select(this.knex.raw(`ROW_NUMBER() OVER (ORDER BY ${order}) AS position`))
      .from(best)
      .where('user_pick', 1)
      .as('ranked');
    const [rows, [count]] = await Promise.all([
      this.knex.select('*').from(ranked).orderBy('position').limit(limit).offset(offset) as Promise<RankedRow[]>,
      this.knex('submission_scores')
        .where('competition_id', competition.id)
        .countDistinct({ total: 'user_id' }) as unknown as Promise<Array<{ total: number | string }>>,
    ]);
    return {
      totalEntries: Number(count?.total ?? 0),
      entries: rows.map((row) => ({
        rank: Number(row.position),
        userId: row.user_id,
        submissionId: row.submission_id,
        score: row.primary_score,
        submittedAt: row.submitted_at,
      })),
    };
  }
}
