/** The permanent competitions' hidden label files: name, header, and what a generated one holds. */
export const HOLDOUT_VERSION = 'holdouts-v1';

export const HOLDOUT_FILES = {
  'titanic-survival': { file: 'titanic-survival.csv', header: 'PassengerId,Survived' },
  'cifar-100-classification': { file: 'cifar-100-classification.csv', header: 'id,label' },
  // One row per box; an image without opacity has one row with empty box fields and Target 0 (the
  // layout of the challenge's stage_2_train_labels.csv).
  'rsna-pneumonia-detection': { file: 'rsna-pneumonia-detection.csv', header: 'patientId,x,y,width,height,Target' },
} as const;

export type HoldoutSlug = keyof typeof HOLDOUT_FILES;
export const HOLDOUT_SLUGS = Object.keys(HOLDOUT_FILES) as HoldoutSlug[];

export interface HoldoutManifest {
  version: string;
  generated_by: string;
  files: Record<HoldoutSlug, { file: string; rows: number; sha256: string }>;
}
