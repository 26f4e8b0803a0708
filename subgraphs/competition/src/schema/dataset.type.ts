import { SESSION_DATA_MOUNTS } from '@medforge/shared-schema';
import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

import type { DatasetRow } from '../db/models/dataset.model';
import type { DatasetPart as StoredPart } from '../datasets/dataset-layout';
import type { DatasetFileView } from '../services/dataset-files';

export enum DatasetPart {
  TRAINING = 'training',
  PUBLIC_EVAL = 'public-eval',
}
registerEnumType(DatasetPart, {
  name: 'DatasetPart',
  description: 'TRAINING: training data with labels. PUBLIC_EVAL: test inputs and the sample submission.',
});

export enum DatasetOrigin {
  GENERATED = 'generated',
  IMPORTED = 'imported',
}
registerEnumType(DatasetOrigin, {
  name: 'DatasetOrigin',
  description:
    'GENERATED: drawn for this install from its own random secret (development, CI). IMPORTED: the real files, imported by an operator.',
});

@ObjectType({ description: 'One downloadable file of a dataset, as its manifest lists it.' })
export class DatasetFile {
  @Field(() => DatasetPart)
  part!: DatasetPart;

  @Field({ description: 'File name within its part.' })
  name!: string;

  @Field(() => Float, { description: 'Size in bytes.' })
  sizeBytes!: number;

  @Field({ description: 'SHA-256 of the content, hex (also sent as the Repr-Digest header of a download).' })
  sha256!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field({
    description: 'Where to GET it (signed in): /api/v2/datasets/<slug>/files/<part>/<name>; Range requests resume.',
  })
  downloadUrl!: string;

  @Field({ description: 'Where it lies inside every session container (read-only).' })
  sessionPath!: string;

  static of(dataset: string, file: DatasetFileView): DatasetFile {
    const mount = file.part === 'training' ? SESSION_DATA_MOUNTS.training : SESSION_DATA_MOUNTS.publicEval;
    return Object.assign(new DatasetFile(), {
      part: file.part satisfies StoredPart as DatasetPart,
      name: file.path,
      sizeBytes: file.bytes,
      sha256: file.sha256,
      description: file.description,
      downloadUrl: `/api/v2/datasets/${encodeURIComponent(dataset)}/files/${file.part}/${encodeURIComponent(file.path)}`,
      sessionPath: `${mount}/${dataset}/${file.path}`,
    });
  }
}

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

  @Field({ description: 'What the data holds and how to use it, as Markdown.' })
  description!: string;

  @Field()
  source!: string;

  @Field()
  license!: string;

  @Field({ description: 'The training part inside every session container (read-only).' })
  trainingSessionPath!: string;

  @Field({ description: 'The public evaluation part inside every session container (read-only).' })
  publicEvalSessionPath!: string;

  static from(row: DatasetRow): Dataset {
    return Object.assign(new Dataset(), {
      id: row.id,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      description: row.description,
      source: row.source,
      license: row.license,
      trainingSessionPath: `${SESSION_DATA_MOUNTS.training}/${row.slug}`,
      publicEvalSessionPath: `${SESSION_DATA_MOUNTS.publicEval}/${row.slug}`,
    });
  }
}
