import type { ScoringColumns, SubmissionScore } from '../scoring/score-submission';

export interface ThreadRequest {
  id: number;
  slug: string;
  columns: ScoringColumns;
  bytes: Uint8Array;
}

export type ThreadResponse =
  | { id: number; outcome: 'scored'; score: SubmissionScore; holdoutSha256: string; holdoutVersion: string }
  | { id: number; outcome: 'invalid'; message: string }
  | { id: number; outcome: 'error'; message: string };

export type ThreadOutcome = ThreadResponse extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
