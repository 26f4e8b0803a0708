/**
 * A submission file that cannot be scored, with the message shown to its author: what is wrong and
 * where (1-based line numbers as an editor shows them, the header being line 1).
 */
export class SubmissionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionFormatError';
  }
}
