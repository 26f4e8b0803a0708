import { SubmissionFormatError } from '../scoring/csv/submission-format-error';
import { isScoredCompetition, readSubmission } from '../scoring/submission-rules';
import type { CheckedFormat, ContentRefusal, SubmissionChecker, TestIdSource } from '../ports/submission-checker';

/**
 * Checks in the calling thread. With the published test ids (the sample submission's) every id must be
 * one of them and none may be missing; where the data is not installed, membership waits for the scorer,
 * which holds the holdout. Reading stops at the first problem.
 */
export class InlineSubmissionChecker implements SubmissionChecker {
  constructor(private readonly testIds: TestIdSource) {}

  async check(format: CheckedFormat, bytes: Buffer): Promise<ContentRefusal | null> {
    if (!isScoredCompetition(format.slug)) return null;
    const ids = await this.testIds.testIds(format.slug, format.id_column);
    try {
      readSubmission(format.slug, bytes, { idColumn: format.id_column, targetColumn: format.target_column }, ids);
      return null;
    } catch (error) {
      if (!(error instanceof SubmissionFormatError)) throw error;
      return { message: error.message, line: error.line };
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
