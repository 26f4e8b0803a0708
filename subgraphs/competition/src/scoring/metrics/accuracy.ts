export interface AccuracyResult {
  score: number;
  components: { correct: number; total: number };
}

/**
 * Share of ids whose predicted label equals the true one. Both maps hold canonical label strings (the
 * submission validator normalizes `1`, `1.0` and ` 1` alike) and the same id set (it rejects missing
 * and unknown ids), so every truth row is counted exactly once.
 */
export function accuracy(truth: ReadonlyMap<string, string>, predictions: ReadonlyMap<string, string>): AccuracyResult {
  if (truth.size === 0) throw new Error('accuracy needs at least one labelled row');
  let correct = 0;
  for (const [id, label] of truth) {
    if (predictions.get(id) === label) correct++;
  }
  return { score: correct / truth.size, components: { correct, total: truth.size } };
}
