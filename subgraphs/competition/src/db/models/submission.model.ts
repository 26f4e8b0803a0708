import type { SubmissionStatus } from '@medforge/shared-schema';
import { Model } from 'objection';

export class SubmissionRow extends Model {
  static override tableName = 'submissions';

  id!: string;
  competition_id!: string;
  user_id!: string;
  status!: SubmissionStatus;
  filename!: string;
  artifact_path!: string;
  artifact_sha256!: string;
  size_bytes!: number;
  row_count!: number | null;
  error_message!: string | null;
  submitted_day!: string;
  counts_against_cap!: boolean;
  attempts!: number;
  created_at!: Date;
  scoring_started_at!: Date | null;
  finished_at!: Date | null;
}
