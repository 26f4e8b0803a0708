import type { HoldoutSlug } from '../holdouts/holdout-formats';

/**
 * Where a dataset's files live: `training` under TRAINING_DATA_ROOT (with labels), `public-eval` under
 * PUBLIC_EVAL_DATA_ROOT (test inputs and the sample submission). The hidden labels live under
 * TEST_HOLDOUTS_DIR only; the three roots are disjoint.
 */
export const DATASET_PARTS = ['training', 'public-eval'] as const;
export type DatasetPart = (typeof DATASET_PARTS)[number];

export function isDatasetPart(value: string): value is DatasetPart {
  return (DATASET_PARTS as readonly string[]).includes(value);
}

/** What an imported file must look like before it is accepted. */
export type FileCheck =
  | { kind: 'csv'; header: readonly string[]; rows?: number }
  | { kind: 'npy'; dtype: '|u1'; shape: readonly number[] }
  /** Opaque archives of the real images (ZIP), accepted as downloaded. */
  | { kind: 'zip' };

export interface DatasetFileSpec {
  part: DatasetPart;
  /** The file's name in its part's directory (and in download URLs). */
  name: string;
  description: string;
  /** Generated installs write every required file; optional ones come only with real data. */
  required: boolean;
  /** Other names the file has in the original download (the import command accepts those too). */
  sourceNames?: readonly string[];
  check: FileCheck;
}

export interface DatasetLayout {
  dataset: string;
  competition: HoldoutSlug;
  /** The public-eval file that lists every test id once, in the submission format: the sample submission. */
  sampleSubmission: string;
  files: readonly DatasetFileSpec[];
}

const TITANIC_FEATURES = ['Pclass', 'Name', 'Sex', 'Age', 'SibSp', 'Parch', 'Ticket', 'Fare', 'Cabin', 'Embarked'];
export const TITANIC_TRAIN_ROWS = 891;
export const CIFAR_TRAIN_IMAGES = 50_000;
export const CIFAR_TEST_IMAGES = 10_000;
export const CIFAR_IMAGE_SHAPE = [32, 32, 3] as const;
export const RSNA_TRAIN_PATIENTS = 26_684;
export const RSNA_TEST_IMAGES = 3_000;

export const DATASET_LAYOUTS: readonly DatasetLayout[] = [
  {
    dataset: 'titanic',
    competition: 'titanic-survival',
    sampleSubmission: 'sample_submission.csv',
    files: [
      {
        part: 'training',
        name: 'train.csv',
        description: `${TITANIC_TRAIN_ROWS} passengers with their features and Survived (0 or 1).`,
        required: true,
        check: { kind: 'csv', header: ['PassengerId', 'Survived', ...TITANIC_FEATURES], rows: TITANIC_TRAIN_ROWS },
      },
      {
        part: 'public-eval',
        name: 'test.csv',
        description: 'The 418 test passengers (PassengerId 892-1309): the same features, without Survived.',
        required: true,
        check: { kind: 'csv', header: ['PassengerId', ...TITANIC_FEATURES], rows: 418 },
      },
      {
        part: 'public-eval',
        name: 'sample_submission.csv',
        description: 'A valid submission (every woman survives, no man does): the format to follow.',
        required: true,
        sourceNames: ['gender_submission.csv'],
        check: { kind: 'csv', header: ['PassengerId', 'Survived'], rows: 418 },
      },
    ],
  },
  {
    dataset: 'cifar-100',
    competition: 'cifar-100-classification',
    sampleSubmission: 'sample_submission.csv',
    files: [
      {
        part: 'training',
        name: 'train_images.npy',
        description: `${CIFAR_TRAIN_IMAGES.toLocaleString('en')} images as one NumPy uint8 array of shape (N, 32, 32, 3), RGB.`,
        required: true,
        check: { kind: 'npy', dtype: '|u1', shape: [CIFAR_TRAIN_IMAGES, ...CIFAR_IMAGE_SHAPE] },
      },
      {
        part: 'training',
        name: 'train_labels.csv',
        description: 'The fine label (0-99) of each training image, by its index in train_images.npy.',
        required: true,
        check: { kind: 'csv', header: ['id', 'label'], rows: CIFAR_TRAIN_IMAGES },
      },
      {
        part: 'public-eval',
        name: 'test_images.npy',
        description: `The ${CIFAR_TEST_IMAGES.toLocaleString('en')} test images, uint8 (N, 32, 32, 3); the id of an image is its index.`,
        required: true,
        check: { kind: 'npy', dtype: '|u1', shape: [CIFAR_TEST_IMAGES, ...CIFAR_IMAGE_SHAPE] },
      },
      {
        part: 'public-eval',
        name: 'sample_submission.csv',
        description: 'A valid submission (label 0 for every image): every test id once.',
        required: true,
        check: { kind: 'csv', header: ['id', 'label'], rows: CIFAR_TEST_IMAGES },
      },
    ],
  },
  {
    dataset: 'rsna-pneumonia',
    competition: 'rsna-pneumonia-detection',
    sampleSubmission: 'stage_2_sample_submission.csv',
    files: [
      {
        part: 'training',
        name: 'stage_2_train_labels.csv',
        description:
          `Boxes of lung opacity for ${RSNA_TRAIN_PATIENTS.toLocaleString('en')} training patients: one row per ` +
          'box, or one row with Target 0 and empty box fields for an image without opacity.',
        required: true,
        check: { kind: 'csv', header: ['patientId', 'x', 'y', 'width', 'height', 'Target'] },
      },
      {
        part: 'training',
        name: 'stage_2_train_images.zip',
        description: 'The training radiographs as DICOM files (real data only).',
        required: false,
        check: { kind: 'zip' },
      },
      {
        part: 'public-eval',
        name: 'stage_2_sample_submission.csv',
        description: `Every one of the ${RSNA_TEST_IMAGES.toLocaleString('en')} test patientIds with one placeholder box.`,
        required: true,
        check: { kind: 'csv', header: ['patientId', 'PredictionString'], rows: RSNA_TEST_IMAGES },
      },
      {
        part: 'public-eval',
        name: 'stage_2_test_images.zip',
        description: 'The test radiographs as DICOM files (real data only).',
        required: false,
        check: { kind: 'zip' },
      },
    ],
  },
];

export function layoutOfDataset(dataset: string): DatasetLayout | undefined {
  return DATASET_LAYOUTS.find((l) => l.dataset === dataset);
}

export function layoutOfCompetition(competition: string): DatasetLayout | undefined {
  return DATASET_LAYOUTS.find((l) => l.competition === competition);
}
