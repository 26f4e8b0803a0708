import { SubmissionStatus } from '@medforge/shared-schema';
import { JSONObjectResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import type { SubmissionWithScore } from '../services/submission-queries';

@ObjectType({ description: 'A CSV of predictions uploaded to a competition.' })
export class Submission {
  @Field(() => ID)
  id!: string;

  @Field(() => SubmissionStatus)
  status!: SubmissionStatus;

  @Field()
  filename!: string;

  @Field(() => Int)
  sizeBytes!: number;

  @Field(() => Int, { nullable: true })
  rowCount!: number | null;

  @Field(() => Float, { nullable: true, description: 'Official score once SCORED.' })
  primaryScore!: number | null;

  @Field(() => JSONObjectResolver, {
    nullable: true,
    description: 'Parts of the score (e.g. correct/total, or per-IoU-threshold precision) once SCORED.',
  })
  scoreComponents!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'Scorer version that produced the score.' })
  scorerVersion!: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the holdout labels it was scored against.' })
  holdoutSha256!: string | null;

  @Field({ description: 'SHA-256 of the uploaded file.' })
  sha256!: string;

  @Field(() => String, { nullable: true, description: 'Why the submission FAILED.' })
  errorMessage!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  competitionId!: string;
  userId!: string;

  static from(row: SubmissionWithScore): Submission {
    return Object.assign(new Submission(), {
      id: row.id,
      status: row.status,
      filename: row.filename,
      sizeBytes: Number(row.size_bytes),
      rowCount: row.row_count,
      primaryScore: row.primary_score,
      scoreComponents: row.score_components,
      scorerVersion: row.scorer_version,
      holdoutSha256: row.holdout_sha256,
      sha256: row.artifact_sha256,
      errorMessage: row.error_message,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      competitionId: row.competition_id,
      userId: row.user_id,
    });
  }
}
