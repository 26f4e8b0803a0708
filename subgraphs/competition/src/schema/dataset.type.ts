import { Field, ID, ObjectType } from 'type-graphql';

import type { DatasetRow } from '../db/models/dataset.model';

@ObjectType({ description: 'Training and public evaluation data behind a competition (never the holdout labels).' })
export class Dataset {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  title!: string;

  @Field()
  summary!: string;

  @Field()
  source!: string;

  @Field()
  license!: string;

  @Field({ description: 'Location of the training data, relative to the training data root.' })
  trainingDataPath!: string;

  @Field({ description: 'Location of the public evaluation inputs, relative to the public eval root.' })
  publicEvalPath!: string;

  static from(row: DatasetRow): Dataset {
    return Object.assign(new Dataset(), {
      id: row.id,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      source: row.source,
      license: row.license,
      trainingDataPath: row.training_data_path,
      publicEvalPath: row.public_eval_path,
    });
  }
}
