import type { HoldoutSlug } from '../holdouts/holdout-formats';
import { type ParsedSubmission, parseSubmission } from './csv/parse-submission';
import { binaryLabel, classLabel0to99, rsnaBoxes, type TargetParser } from './csv/targets';
import type { ScoredBox } from './metrics/rsna-map';

export interface SubmissionColumns {
  idColumn: string;
  targetColumn: string;
}

type Target = string | ScoredBox[];

/** How each competition's target column is read (and what its rules allow), one place for intake and scoring. */
const TARGETS: Record<HoldoutSlug, TargetParser<Target>> = {
  'titanic-survival': binaryLabel,
  'cifar-100-classification': classLabel0to99,
  'rsna-pneumonia-detection': rsnaBoxes,
};

export function isScoredCompetition(slug: string): slug is HoldoutSlug {
  return Object.prototype.hasOwnProperty.call(TARGETS, slug);
}

/**
 * Reads a submission file by its competition's rules. With `ids` (the scorer, holding the test set) every
 * id must appear once; without (intake) every other check runs: header, one row per id, each target, the
 * limits. Throws SubmissionFormatError with the line and the reason.
 */
export function readSubmission(
  slug: HoldoutSlug,
  bytes: Buffer,
  columns: SubmissionColumns,
  ids: ReadonlySet<string> | null,
): ParsedSubmission<Target> {
  return parseSubmission(bytes, { ...columns, ids, parseTarget: TARGETS[slug] });
}
