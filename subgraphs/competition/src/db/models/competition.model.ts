import type { Exposure } from '@medforge/shared-schema';
import { Model } from 'objection';

export type MetricKind = 'accuracy' | 'map_iou';

export class CompetitionRow extends Model {
  static override tableName = 'competitions';

  id!: string;
  slug!: string;
  title!: string;
  summary!: string;
  description!: string;
  dataset_id!: string;
  exposure!: Exposure;
  status!: 'active' | 'archived';
  metric!: MetricKind;
  metric_version!: string;
  higher_is_better!: boolean;
  id_column!: string;
  target_column!: string;
  expected_rows!: number;
  daily_submission_cap!: number;
  max_upload_bytes!: number;
  scoring_mode!: string;
  leaderboard_rule!: string;
  evaluation_policy!: string;
  created_at!: Date;
  updated_at!: Date;
}
