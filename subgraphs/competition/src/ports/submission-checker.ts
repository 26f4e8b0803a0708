/** What a competition's submissions must look like, as the catalog row says. */
export interface CheckedFormat {
  slug: string;
  id_column: string;
  target_column: string;
}

/** Why a file cannot be scored: the author's message and the line it is about, if any. */
export interface ContentRefusal {
  message: string;
  line: number | null;
}

/**
 * Reads an uploaded file by its competition's rules before anything is stored or counted. Parsing a
 * large file takes hundreds of milliseconds, so the service's implementation runs it off the event loop
 * (threaded-submission-checker); the inline one runs it in the caller's thread.
 */
export interface SubmissionChecker {
  /** Null when the file can be scored as far as the published data tells; otherwise why not. */
  check(format: CheckedFormat, bytes: Buffer): Promise<ContentRefusal | null>;
  close(): Promise<void>;
}

/** The published test ids of a competition (null where its data is not installed). */
export interface TestIdSource {
  testIds(competition: string, idColumn: string): Promise<ReadonlySet<string> | null>;
}
