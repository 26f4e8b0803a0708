import {
  type Actor,
  DomainError,
  graphqlEnumName,
  type Knex,
  requireAdmin,
  SubmissionStatus,
} from '@medforge/shared-schema';

import type { ScoringQueue } from '../ports/scoring-queue';
import { CompetitionRow } from '../db/models/competition.model';
import { SubmissionRow } from '../db/models/submission.model';
import { resetForRescore } from './score-reset';
import type { SubmissionEvents } from './submission-events';

/**
 * Admin: score a finished submission again (after a scorer fix, or a failure that was not the file's
 * fault). Its old score is removed and it goes back to QUEUED under the same job id; the daily cap is
 * left as it was.
 */
export class SubmissionRescore {
  constructor(
    private readonly knex: Knex,
    private readonly queue: ScoringQueue,
    private readonly events: SubmissionEvents,
  ) {}

  async rescore(actor: Actor | null, submissionId: string): Promise<SubmissionRow> {
    requireAdmin(actor);
    const row = await this.knex.transaction(async (trx) => {
      const current = await SubmissionRow.query(trx).findById(submissionId).forUpdate();
      if (!current) throw new DomainError('NOT_FOUND', `No submission ${submissionId}`);
      if (current.status === SubmissionStatus.QUEUED || current.status === SubmissionStatus.SCORING) {
        throw new DomainError(
          'CONFLICT',
          `Submission ${submissionId} is already ${graphqlEnumName(SubmissionStatus, current.status)}`,
        );
      }
      return await resetForRescore(trx, current);
    });
    await this.queue.requeue(submissionId);
    const competition = await CompetitionRow.query(this.knex).findById(row.competition_id);
    await this.events.changed(row, competition?.slug ?? row.competition_id, { rescore_by: actor?.userId });
    return row;
  }
}
