import type { Holdout } from '../holdouts/holdout-store';
import { parseSubmission } from './csv/parse-submission';
import { binaryLabel, classLabel0to99, rsnaBoxes } from './csv/targets';
import { accuracy } from './metrics/accuracy';
import { rsnaMeanAveragePrecision } from './metrics/rsna-map';

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
  const base = { ...columns, ids: holdout.ids };
  switch (holdout.slug) {
    case 'titanic-survival':
    case 'cifar-100-classification': {
      if (holdout.truth.kind !== 'labels') throw new Error(`${holdout.slug} holdout must hold labels`);
      const parseTarget = holdout.slug === 'titanic-survival' ? binaryLabel : classLabel0to99;
      const { predictions, rowCount } = parseSubmission(bytes, { ...base, parseTarget });
      const result = accuracy(holdout.truth.labels, predictions);
      return { primaryScore: result.score, components: result.components, rowCount };
    }
    case 'rsna-pneumonia-detection': {
      if (holdout.truth.kind !== 'boxes') throw new Error(`${holdout.slug} holdout must hold boxes`);
      const { predictions, rowCount } = parseSubmission(bytes, { ...base, parseTarget: rsnaBoxes });
      const result = rsnaMeanAveragePrecision(holdout.truth.boxes, predictions);
      return { primaryScore: result.score, components: result.components, rowCount };
    }
  }
}
