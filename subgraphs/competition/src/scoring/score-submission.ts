import type { Holdout } from '../holdouts/holdout-store';
import { accuracy } from './metrics/accuracy';
import { rsnaMeanAveragePrecision, type ScoredBox } from './metrics/rsna-map';
import { readSubmission } from './submission-rules';

/** Bumped whenever parsing or a metric changes what a file scores; stored with every score. */
export const SCORER_VERSION = 'scorer-v1';

export interface SubmissionScore {
  primaryScore: number;
  components: Record<string, unknown>;
  rowCount: number;
}

export interface ScoringColumns {
  idColumn: string;
  targetColumn: string;
}

/**
 * Parses a submission against its competition's holdout and scores it with that competition's metric.
 * Throws SubmissionFormatError (with the author's message) for a file that cannot be scored.
 */
export function scoreSubmission(bytes: Buffer, holdout: Holdout, columns: ScoringColumns): SubmissionScore {
  const { predictions, rowCount } = readSubmission(holdout.slug, bytes, columns, holdout.ids);
  if (holdout.truth.kind === 'labels') {
    const result = accuracy(holdout.truth.labels, predictions as Map<string, string>);
    return { primaryScore: result.score, components: result.components, rowCount };
  }
  const result = rsnaMeanAveragePrecision(holdout.truth.boxes, predictions as Map<string, ScoredBox[]>);
  return { primaryScore: result.score, components: result.components, rowCount };
}
