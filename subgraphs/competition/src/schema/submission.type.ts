import { SubmissionStatus } from '@medforge/shared-schema';
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

  /** Admins only (SubmissionSecretsResolver): parts of the score are counts derived from the labels. */
  scoreComponents!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'Scorer version that produced the score.' })
  scorerVersion!: string | null;

  /** Admins only (SubmissionSecretsResolver): it would confirm a guess of the hidden labels. */
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
