import { randomUUID } from 'node:crypto';

import { type Knex, SubmissionStatus } from '@medforge/shared-schema';

import type { ArtifactStore } from '../ports/artifact-store';
import { CompetitionRow } from '../db/models/competition.model';
import { SubmissionRow } from '../db/models/submission.model';
import { SCORER_VERSION } from '../scoring/score-submission';
import { refreshBest } from '../services/leaderboard-bests';
import type { SubmissionEvents } from '../services/submission-events';
import type { ScoringThreads } from './scoring-threads';

/** An error bull should retry (the file is fine; something around it was not). */
export class RetryableScoringError extends Error {
  override name = 'RetryableScoringError';
}

/**
 * Scores one submission; safe to run any number of times for the same id. Every status change is
 * conditional on the status it leaves, the score row is unique per submission, and a row already
 * SCORED or FAILED is left alone — so a retry after a crash at any point ends with exactly one score.
 */
export class ScoringJob {
  constructor(
    private readonly knex: Knex,
    private readonly artifacts: ArtifactStore,
    private readonly threads: ScoringThreads,
    private readonly events: SubmissionEvents,
  ) {}

  async run(submissionId: string): Promise<'scored' | 'failed' | 'skipped'> {
    const claimed = await SubmissionRow.query(this.knex)
      .where({ id: submissionId })
      .whereIn('status', [SubmissionStatus.QUEUED, SubmissionStatus.SCORING])
      .patch({
        status: SubmissionStatus.SCORING,
        scoring_started_at: new Date(),
        attempts: this.knex.raw('attempts + 1') as unknown as number,
      });
    if (claimed !== 1) return 'skipped'; // finished already, or unknown
    const submission = (await SubmissionRow.query(this.knex).findById(submissionId))!;
    const competition = (await CompetitionRow.query(this.knex).findById(submission.competition_id))!;
    await this.events.changed(submission, competition.slug, { attempt: submission.attempts });

    let bytes: Buffer;
    try {
      bytes = await this.artifacts.read(submission.artifact_path);
    } catch (error) {
      throw new RetryableScoringError(`cannot read the submitted file: ${(error as Error).message}`);
    }
    const started = process.hrtime.bigint();
    const outcome = await this.threads.score(
      competition.slug,
      { idColumn: competition.id_column, targetColumn: competition.target_column },
      bytes,
    );
    const scoringMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (outcome.outcome === 'error') throw new RetryableScoringError(outcome.message);

    if (outcome.outcome === 'invalid') {
      const failed = await this.fail(submission, outcome.message);
      if (failed)
        await this.events.changed(failed, competition.slug, { error: outcome.message, scoring_ms: scoringMs });
      return 'failed';
    }
    const scored = await this.knex.transaction(async (trx) => {
      await trx('submission_scores')
        .insert({
          id: randomUUID(),
          submission_id: submission.id,
          competition_id: competition.id,
          user_id: submission.user_id,
          primary_score: outcome.score.primaryScore,
          score_components: JSON.stringify(outcome.score.components),
          scorer_version: SCORER_VERSION,
          metric_version: competition.metric_version,
          holdout_sha256: outcome.holdoutSha256,
          evaluation_split_version: outcome.holdoutVersion,
          submitted_at: submission.created_at,
        })
        .onConflict('submission_id')
        .ignore();
      await refreshBest(trx, competition, submission.user_id);
      const updated = await SubmissionRow.query(trx)
        .where({ id: submission.id, status: SubmissionStatus.SCORING })
        .patch({
          status: SubmissionStatus.SCORED,
          row_count: outcome.score.rowCount,
          error_message: null,
          finished_at: new Date(),
        });
      return updated === 1 ? ((await SubmissionRow.query(trx).findById(submission.id)) ?? null) : null;
    });
    if (scored) {
      await this.events.changed(scored, competition.slug, { score: outcome.score.primaryScore, scoring_ms: scoringMs });
    }
    return 'scored';
  }

  /**
   * FAILED with the author's message, and the daily-cap unit given back: failed submissions don't count.
   * Also used when bull gives up on a job after its last attempt.
   */
  async fail(submission: SubmissionRow, message: string): Promise<SubmissionRow | null> {
    return await this.knex.transaction(async (trx) => {
      const updated = await SubmissionRow.query(trx)
        .where({ id: submission.id })
        .whereIn('status', [SubmissionStatus.QUEUED, SubmissionStatus.SCORING])
        .patch({
          status: SubmissionStatus.FAILED,
          error_message: message.slice(0, 1024),
          finished_at: new Date(),
          counts_against_cap: false,
        });
      if (updated !== 1) return null;
      if (submission.counts_against_cap) {
        await trx('submission_quotas')
          .where({
            competition_id: submission.competition_id,
            user_id: submission.user_id,
            day: submission.submitted_day,
          })
          .where('used', '>', 0)
          .decrement('used', 1);
      }
      return (await SubmissionRow.query(trx).findById(submission.id)) ?? null;
    });
  }
}
