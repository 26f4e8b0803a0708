/**
 * A submission file that cannot be scored, with the message shown to its author: what is wrong and
 * where (1-based line numbers as an editor shows them, the header being line 1). `line` is that line
 * for problems that have one, so APIs can answer it as a field of its own.
 */
export class SubmissionFormatError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'SubmissionFormatError';
  }
}
