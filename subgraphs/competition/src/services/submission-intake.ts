import { randomUUID } from 'node:crypto';

import {
  type Actor,
  DomainError,
  type FailureBudget,
  type Knex,
  type Logger,
  mayReachInternal,
  requireActor,
  SubmissionStatus,
} from '@medforge/shared-schema';

import type { ArtifactStore } from '../ports/artifact-store';
import type { ScoringQueue } from '../ports/scoring-queue';
import type { SubmissionChecker } from '../ports/submission-checker';
import { CompetitionRow } from '../db/models/competition.model';
import { SubmissionRow } from '../db/models/submission.model';
import { capResetsAt, utcDay } from './daily-cap';
import type { SubmissionEvents } from './submission-events';

const MAX_FILENAME = 255;

export interface CapStatus {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: Date;
}

export interface IntakeParts {
  artifacts: ArtifactStore;
  queue: ScoringQueue;
  events: SubmissionEvents;
  /** Reads a file by its competition's rules before anything is stored or counted. */
  checker: SubmissionChecker;
  /** Refused uploads per user: they cost no daily slot, so this bounds what they can cost the service. */
  refusals: FailureBudget;
}

/**
 * Accepting a submission: the file is checked (off the event loop), stored, then one transaction takes a
 * unit of the user's daily cap (a conditional increment that concurrent submits cannot overrun) and
 * inserts the `queued` row; then the scoring job is enqueued. A crash before the enqueue leaves a queued
 * row, which the worker's sweeper enqueues; a refused or failed insert removes the stored file again.
 */
export class SubmissionIntake {
  constructor(
    private readonly knex: Knex,
    private readonly parts: IntakeParts,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async submit(actor: Actor | null, competitionSlug: string, filename: string, bytes: Buffer): Promise<SubmissionRow> {
    const user = requireActor(actor);
    const competition = await this.openCompetition(competitionSlug, user);
    const name = cleanFilename(filename);
    if (bytes.length > competition.max_upload_bytes) {
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `The file is ${bytes.length} bytes; ${competition.slug} accepts at most ${competition.max_upload_bytes}`,
        { maxBytes: competition.max_upload_bytes },
      );
    }
    await this.checkContent(competition, user.userId, bytes);
    const id = randomUUID();
    const artifact = await this.parts.artifacts.save(competition.slug, id, bytes);
    const at = this.now();
    let row: SubmissionRow;
    try {
      await this.ensureCapRow(competition, user.userId, at);
      row = await this.knex.transaction(async (trx) => {
        await this.takeCapUnit(trx, competition, user.userId, at);
        await trx('submissions').insert({
          id,
          competition_id: competition.id,
          user_id: user.userId,
          status: SubmissionStatus.QUEUED,
          filename: name,
          artifact_path: artifact.path,
          artifact_sha256: artifact.sha256,
          size_bytes: artifact.sizeBytes,
          submitted_day: utcDay(at),
          counts_against_cap: true,
          created_at: at,
        });
        return (await SubmissionRow.query(trx).findById(id))!;
      });
    } catch (error) {
      await this.parts.artifacts.remove(artifact.path);
      throw error;
    }
    await this.parts.events.changed(row, competition.slug, { size_bytes: artifact.sizeBytes, sha256: artifact.sha256 });
    try {
      await this.parts.queue.enqueue(id);
    } catch (error) {
      // The row is queued and the sweeper finds it; the submitter need not retry.
      this.logger.warn({ err: error, submission_id: id }, 'could not enqueue scoring; the sweeper will');
    }
    return row;
  }

  /**
   * The whole file is read by its competition's rules before anything is stored or counted: a file that
   * cannot be scored is refused at once with its line and reason (422), and costs no daily slot, but it
   * spends one of the user's refusals; with none left, uploads wait (429) until the window moves on.
   */
  private async checkContent(competition: CompetitionRow, userId: string, bytes: Buffer): Promise<void> {
    await this.parts.refusals.refuseIfSpent(
      userId,
      "Too many refused uploads: compare your file with the competition's sample submission before sending it again",
    );
    const refusal = await this.parts.checker.check(competition, bytes);
    if (!refusal) return;
    await this.parts.refusals.spend(userId);
    throw new DomainError('UNPROCESSABLE_CONTENT', refusal.message, refusal.line ? { line: refusal.line } : {});
  }

  /** The caller's cap for a competition today. */
  async capStatus(competition: CompetitionRow, userId: string): Promise<CapStatus> {
    const at = this.now();
    const row = (await this.knex('submission_quotas')
      .where({ competition_id: competition.id, user_id: userId, day: utcDay(at) })
      .first('used')) as { used: number } | undefined;
    const used = row?.used ?? 0;
    const limit = competition.daily_submission_cap;
    return { limit, used, remaining: Math.max(0, limit - used), resetsAt: capResetsAt(at) };
  }

  private async openCompetition(slug: string, actor: Actor): Promise<CompetitionRow> {
    const competition = await CompetitionRow.query(this.knex).findOne({ slug });
    if (!competition || competition.status !== 'active') {
      throw new DomainError('NOT_FOUND', `No open competition ${JSON.stringify(slug)}`);
    }
    if (competition.exposure === 'internal' && !mayReachInternal(actor)) {
      throw new DomainError('FORBIDDEN', `${slug} is an INTERNAL competition; it needs the internal entitlement`);
    }
    return competition;
  }

  /**
   * Outside the transaction on purpose: an INSERT IGNORE that meets an existing row takes a shared lock,
   * and two transactions each holding one while wanting the row exclusively would deadlock.
   */
  private async ensureCapRow(competition: CompetitionRow, userId: string, at: Date): Promise<void> {
    await this.knex('submission_quotas')
      .insert({ competition_id: competition.id, user_id: userId, day: utcDay(at), used: 0 })
      .onConflict(['competition_id', 'user_id', 'day'])
      .ignore();
  }

  private async takeCapUnit(trx: Knex.Transaction, competition: CompetitionRow, userId: string, at: Date) {
    const key = { competition_id: competition.id, user_id: userId, day: utcDay(at) };
    const taken = await trx('submission_quotas')
      .where(key)
      .where('used', '<', competition.daily_submission_cap)
      .increment('used', 1);
    if (taken === 1) return;
    const limit = competition.daily_submission_cap;
    const resetsAt = capResetsAt(at);
    throw new DomainError(
      'QUOTA_EXCEEDED',
      `Daily limit reached: ${limit} of ${limit} submissions to ${competition.slug} used today (UTC); ` +
        `0 remaining until ${resetsAt.toISOString()}`,
      { limit, remaining: 0, resetsAt: resetsAt.toISOString() },
    );
  }
}

/** The name shown back to the user: the base name, without control characters, at most 255 characters. */
function cleanFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean === '') throw new DomainError('BAD_USER_INPUT', 'The file needs a name');
  return clean.slice(0, MAX_FILENAME);
}
