/** What the competition page's two charts show, computed from the API's data (no drawing here). */

export interface ScoredPoint {
  createdAt: string;
  primaryScore: number | null;
  status: string;
}

export interface ScoreSeries {
  labels: string[];
  scores: number[];
  bestSoFar: number[];
}

/** Each scored submission oldest first, with the best score reached up to it (higher is better here). */
export function scoreSeries(submissions: readonly ScoredPoint[], label: (iso: string) => string): ScoreSeries {
  const scored = submissions
    .filter((s): s is ScoredPoint & { primaryScore: number } => s.status === 'SCORED' && s.primaryScore !== null)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let best = -Infinity;
  return {
    labels: scored.map((s) => label(s.createdAt)),
    scores: scored.map((s) => s.primaryScore),
    bestSoFar: scored.map((s) => (best = Math.max(best, s.primaryScore))),
  };
}

export interface ScoreBin {
  from: number;
  to: number;
  count: number;
}

/** The bin holding `score` (a score of exactly 1 is in the last), or -1 without a score. */
export function binOf(bins: readonly ScoreBin[], score: number | null): number {
  if (score === null || bins.length === 0) return -1;
  const index = bins.findIndex((bin) => score >= bin.from && score < bin.to);
  return index === -1 && score >= bins[bins.length - 1]!.from ? bins.length - 1 : index;
}
