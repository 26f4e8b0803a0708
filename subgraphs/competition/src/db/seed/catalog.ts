import { randomUUID } from 'node:crypto';

import { type Knex, type Logger, MAX_SUBMISSION_FILE_BYTES, SESSION_DATA_MOUNTS } from '@medforge/shared-schema';

import type { MetricKind } from '../models/competition.model';

interface DatasetSeed {
  slug: string;
  title: string;
  summary: string;
  source: string;
  license: string;
  /** Markdown: what the files hold and how to use them (the file list comes from the manifests). */
  description: string;
}

const { training: TRAINING, publicEval: PUBLIC_EVAL } = SESSION_DATA_MOUNTS;

interface CompetitionSeed {
  slug: string;
  dataset: string;
  title: string;
  summary: string;
  description: string;
  metric: MetricKind;
  metric_version: string;
  higher_is_better: boolean;
  id_column: string;
  target_column: string;
  expected_rows: number;
  daily_submission_cap: number;
  max_upload_bytes: number;
}

const MiB = 1024 * 1024;

export const DATASETS: readonly DatasetSeed[] = [
  {
    slug: 'titanic',
    title: 'Titanic passengers',
    summary: 'Passenger manifest of RMS Titanic with demographics, ticket class and fare.',
    source: 'Kaggle "Titanic - Machine Learning from Disaster" mirror',
    license: 'Competition data, research use',
    description: `Passengers of the RMS Titanic: \`train.csv\` has 891 of them with \`Survived\` (1 or 0); \`test.csv\` has
the 418 whose fate you predict (PassengerId 892-1309), with the same features and without \`Survived\`.

| Column | Meaning |
| --- | --- |
| \`Pclass\` | ticket class: 1 = upper, 2 = middle, 3 = lower |
| \`Name\`, \`Sex\`, \`Age\` | age in years; empty where unknown |
| \`SibSp\`, \`Parch\` | siblings or spouses, parents or children aboard |
| \`Ticket\`, \`Fare\`, \`Cabin\` | cabin empty where unknown |
| \`Embarked\` | port: C = Cherbourg, Q = Queenstown, S = Southampton |

\`sample_submission.csv\` is a valid submission (every woman survives): start from it.

In a session: \`${TRAINING}/titanic/train.csv\` and \`${PUBLIC_EVAL}/titanic/\`.

\`\`\`python
import pandas as pd
train = pd.read_csv("${TRAINING}/titanic/train.csv")
test = pd.read_csv("${PUBLIC_EVAL}/titanic/test.csv")
\`\`\``,
  },
  {
    slug: 'rsna-pneumonia',
    title: 'RSNA pneumonia chest radiographs',
    summary: 'Frontal chest X-rays (DICOM) with bounding boxes around lung opacities.',
    source: 'RSNA Pneumonia Detection Challenge mirror',
    license: 'RSNA challenge terms, research use',
    description: `Chest radiographs (1024 x 1024 pixels) with boxes around lung opacities.

- \`stage_2_train_labels.csv\`: one row per box (\`x y width height\` in pixels, \`Target\` 1), or one row with
  empty box fields and \`Target\` 0 for an image without opacity.
- \`stage_2_sample_submission.csv\`: every one of the 3,000 test \`patientId\`s with a placeholder box; a valid
  submission, and the list of ids to predict.
- \`stage_2_train_images.zip\` and \`stage_2_test_images.zip\` (DICOM) come with the real data, when an operator
  has imported it.

In a session: \`${TRAINING}/rsna-pneumonia/\` and \`${PUBLIC_EVAL}/rsna-pneumonia/\`.`,
  },
  {
    slug: 'cifar-100',
    title: 'CIFAR-100',
    summary: '32x32 colour images in 100 fine-grained classes (20 superclasses).',
    source: 'CIFAR-100 (Krizhevsky, 2009) mirror',
    license: 'MIT-style, research use',
    description: `Small colour images, 100 fine classes. Images are NumPy arrays of shape \`(N, 32, 32, 3)\`, dtype
\`uint8\`, RGB; an image's id is its index.

- \`train_images.npy\` (50,000 images) with \`train_labels.csv\` (\`id,label\`, label 0-99).
- \`test_images.npy\` (10,000 images): predict a label for each.
- \`sample_submission.csv\`: a valid submission (label 0 everywhere) listing every test id.

\`\`\`python
import numpy as np, pandas as pd
x = np.load("${TRAINING}/cifar-100/train_images.npy")
y = pd.read_csv("${TRAINING}/cifar-100/train_labels.csv")["label"].to_numpy()
\`\`\``,
  },
];

export const COMPETITIONS: readonly CompetitionSeed[] = [
  {
    slug: 'titanic-survival',
    dataset: 'titanic',
    title: 'Titanic: who survived?',
    summary: 'Predict which passengers survived the sinking. A first tabular classification task.',
    description:
      'Train on the passenger manifest and predict `Survived` (0 or 1) for each of the 418 hidden test ' +
      'passengers (PassengerId 892-1309). Submit a CSV with header `PassengerId,Survived` and one row per ' +
      'passenger. Scored by accuracy against hidden labels; higher is better.',
    metric: 'accuracy',
    metric_version: 'accuracy-v1',
    higher_is_better: true,
    id_column: 'PassengerId',
    target_column: 'Survived',
    expected_rows: 418,
    daily_submission_cap: 10,
    max_upload_bytes: 1 * MiB,
  },
  {
    slug: 'rsna-pneumonia-detection',
    dataset: 'rsna-pneumonia',
    title: 'RSNA pneumonia detection',
    summary: 'Locate lung opacities on chest radiographs with confidence-scored bounding boxes.',
    description:
      'For every test image, predict zero or more boxes as `PredictionString`: space-separated groups of ' +
      '`confidence x y width height` in pixels. Submit a CSV with header `patientId,PredictionString` and ' +
      'one row per test image (leave PredictionString empty for no boxes). Scored by the mean over images ' +
      'of the mean over IoU thresholds 0.40 to 0.75 (step 0.05) of TP / (TP + FP + FN); images with no ' +
      'ground truth and no prediction are skipped, and predictions on an image without ground truth score 0.',
    metric: 'map_iou',
    metric_version: 'rsna-map-iou-v1',
    higher_is_better: true,
    id_column: 'patientId',
    target_column: 'PredictionString',
    expected_rows: 3000,
    daily_submission_cap: 5,
    max_upload_bytes: MAX_SUBMISSION_FILE_BYTES,
  },
  {
    slug: 'cifar-100-classification',
    dataset: 'cifar-100',
    title: 'CIFAR-100 classification',
    summary: 'Classify 10,000 small images into 100 fine-grained classes.',
    description:
      'Predict the fine label (integer 0-99) for each of the 10,000 test images. Submit a CSV with header ' +
      '`id,label` and one row per image id. Scored by accuracy against hidden labels; higher is better.',
    metric: 'accuracy',
    metric_version: 'accuracy-v1',
    higher_is_better: true,
    id_column: 'id',
    target_column: 'label',
    expected_rows: 10000,
    daily_submission_cap: 10,
    max_upload_bytes: 4 * MiB,
  },
];

/** Inserts or refreshes the permanent catalog by slug; ids of existing rows never change. */
export async function seedCatalog(knex: Knex, logger: Logger): Promise<void> {
  await knex.transaction(async (trx) => {
    for (const dataset of DATASETS) {
      await trx('datasets')
        .insert({ id: randomUUID(), ...dataset })
        .onConflict('slug')
        .merge({ ...dataset, updated_at: trx.fn.now(3) });
    }
    const datasetIds = new Map(
      (await trx('datasets').select('id', 'slug')).map((r: { id: string; slug: string }) => [r.slug, r.id]),
    );
    for (const { dataset, ...competition } of COMPETITIONS) {
      const row = { ...competition, dataset_id: datasetIds.get(dataset) };
      await trx('competitions')
        .insert({ id: randomUUID(), ...row })
        .onConflict('slug')
        .merge({ ...row, updated_at: trx.fn.now(3) });
    }
  });
  logger.info({ competitions: COMPETITIONS.map((c) => c.slug) }, 'competition catalog seeded');
}
