import { randomUUID } from 'node:crypto';

import type { Knex, Logger } from '@medforge/shared-schema';

import type { MetricKind } from '../models/competition.model';

interface DatasetSeed {
  slug: string;
  title: string;
  summary: string;
  source: string;
  license: string;
  /** Relative to TRAINING_DATA_ROOT. */
  training_data_path: string;
  /** Relative to PUBLIC_EVAL_DATA_ROOT. */
  public_eval_path: string;
}

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
    training_data_path: 'titanic/train.csv',
    public_eval_path: 'titanic/test.csv',
  },
  {
    slug: 'rsna-pneumonia',
    title: 'RSNA pneumonia chest radiographs',
    summary: 'Frontal chest X-rays (DICOM) with bounding boxes around lung opacities.',
    source: 'RSNA Pneumonia Detection Challenge mirror',
    license: 'RSNA challenge terms, research use',
    training_data_path: 'rsna-pneumonia/stage_2_train_images/',
    public_eval_path: 'rsna-pneumonia/stage_2_test_images/',
  },
  {
    slug: 'cifar-100',
    title: 'CIFAR-100',
    summary: '32x32 colour images in 100 fine-grained classes (20 superclasses).',
    source: 'CIFAR-100 (Krizhevsky, 2009) mirror',
    license: 'MIT-style, research use',
    training_data_path: 'cifar-100/train/',
    public_eval_path: 'cifar-100/test-images/',
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
    max_upload_bytes: 8 * MiB,
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
