import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

import type { CompetitionRow } from '../db/models/competition.model';

export enum Metric {
  ACCURACY = 'accuracy',
  MAP_IOU = 'map_iou',
}
registerEnumType(Metric, {
  name: 'Metric',
  description: 'ACCURACY: share of exact matches. MAP_IOU: RSNA mean average precision over IoU 0.40-0.75.',
});

@ObjectType({ description: 'The CSV a competition accepts.' })
export class SubmissionFormat {
  @Field({ description: 'First header column: the row id.' })
  idColumn!: string;

  @Field({ description: 'Second header column: the prediction.' })
  targetColumn!: string;

  @Field(() => Int, { description: 'Exactly one row per hidden test id.' })
  expectedRows!: number;

  @Field(() => Int, { description: 'Largest accepted upload in bytes.' })
  maxUploadBytes!: number;
}

@ObjectType({ description: 'A permanent Kaggle-style competition scored against hidden holdout labels.' })
export class Competition {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  title!: string;

  @Field()
  summary!: string;

  @Field({ description: 'Markdown.' })
  description!: string;

  @Field(() => Metric)
  metric!: Metric;

  @Field()
  metricVersion!: string;

  @Field()
  higherIsBetter!: boolean;

  @Field(() => SubmissionFormat)
  submissionFormat!: SubmissionFormat;

  @Field(() => Int, { description: 'Scored or pending submissions allowed per user per UTC day.' })
  dailySubmissionCap!: number;

  @Field()
  scoringMode!: string;

  @Field()
  leaderboardRule!: string;

  datasetId!: string;
  row!: CompetitionRow;

  static from(row: CompetitionRow): Competition {
    return Object.assign(new Competition(), {
      id: row.id,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      description: row.description,
      metric: row.metric as Metric,
      metricVersion: row.metric_version,
      higherIsBetter: row.higher_is_better,
      submissionFormat: Object.assign(new SubmissionFormat(), {
        idColumn: row.id_column,
        targetColumn: row.target_column,
        expectedRows: row.expected_rows,
        maxUploadBytes: row.max_upload_bytes,
      }),
      dailySubmissionCap: row.daily_submission_cap,
      scoringMode: row.scoring_mode,
      leaderboardRule: row.leaderboard_rule,
      datasetId: row.dataset_id,
      row,
    });
  }
}
