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

/**
 * Best score per user, from leaderboard_bests (kept by the scoring transaction with the same ordering):
 * ties go to the earlier submission, then the smaller submission id, so the board is deterministic.
 */
export class Leaderboard {
  constructor(private readonly knex: Knex) {}

  async page(competition: CompetitionRow, limit: number, offset: number): Promise<LeaderboardPageRecord> {
    const [rows, [count]] = await Promise.all([
      this.knex('leaderboard_bests')
        .where('competition_id', competition.id)
        .orderBy(RANK_ORDER)
        .limit(limit)
        .offset(offset)
        .select('user_id', 'submission_id', 'primary_score', 'submitted_at') as Promise<BestRow[]>,
      this.knex('leaderboard_bests')
        .where('competition_id', competition.id)
        .count({ total: '*' }) as unknown as Promise<Array<{ total: number | string }>>,
    ]);
    return {
      totalEntries: Number(count?.total ?? 0),
      entries: rows.map((row, index) => toEntry(row, offset + index + 1)),
    };
  }

  /**
   * How the board's best scores spread over [0, 1], in `bins` equal bins (a score of exactly 1 falls in
   * the last): one grouped scan of the competition's leaderboard rows.
   */
  async distribution(competition: CompetitionRow, bins: number): Promise<ScoreBinRecord[]> {
    const rows = (await this.knex('leaderboard_bests')
      .where('competition_id', competition.id)
      .select(this.knex.raw('LEAST(GREATEST(FLOOR(primary_score * ?), 0), ?) AS bin', [bins, bins - 1]))
      .count({ n: '*' })
      .groupBy('bin')) as Array<{ bin: number | string; n: number | string }>;
    return scoreBins(new Map(rows.map((row) => [Number(row.bin), Number(row.n)])), bins);
  }

  /** One user's row of the board, or null before their first score: rank = 1 + the rows ahead of it. */
  async entryFor(competition: CompetitionRow, userId: string): Promise<LeaderboardEntryRecord | null> {
    const mine = (await this.knex('leaderboard_bests')
      .where({ competition_id: competition.id, user_id: userId })
      .first('user_id', 'submission_id', 'primary_score', 'rank_score', 'submitted_at')) as
      (BestRow & { rank_score: number }) | undefined;
    if (!mine) return null;
    const [ahead] = (await this.knex('leaderboard_bests')
      .where('competition_id', competition.id)
      .where((q) =>
        q
          .where('rank_score', '>', mine.rank_score)
          .orWhere((tie) => tie.where('rank_score', mine.rank_score).where('submitted_at', '<', mine.submitted_at))
          .orWhere((tie) =>
            tie
              .where('rank_score', mine.rank_score)
              .where('submitted_at', mine.submitted_at)
              .where('submission_id', '<', mine.submission_id),
          ),
      )
      .count({ n: '*' })) as Array<{ n: number | string }>;
    return toEntry(mine, Number(ahead?.n ?? 0) + 1);
  }
}

export interface ScoreBinRecord {
  from: number;
  to: number;
  count: number;
}

/** Every metric here scores in [0, 1]: the distribution's bins split that range evenly. */
function scoreBins(counts: ReadonlyMap<number, number>, bins: number): ScoreBinRecord[] {
  return Array.from({ length: bins }, (_, index) => ({
    from: index / bins,
    to: (index + 1) / bins,
    count: counts.get(index) ?? 0,
  }));
}

/** Best first; ties go to the earlier submission, then the smaller submission id. */
const RANK_ORDER = [
  { column: 'rank_score', order: 'desc' },
  { column: 'submitted_at', order: 'asc' },
  { column: 'submission_id', order: 'asc' },
];

interface BestRow {
  user_id: string;
  submission_id: string;
  primary_score: number;
  submitted_at: Date;
}

function toEntry(row: BestRow, rank: number): LeaderboardEntryRecord {
  return {
    rank,
    userId: row.user_id,
    submissionId: row.submission_id,
    score: row.primary_score,
    submittedAt: row.submitted_at,
  };
}
