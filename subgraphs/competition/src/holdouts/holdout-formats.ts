/**
 * The permanent competitions' hidden label files: name, header, and what a generated one holds.
 * v1 drew its labels from a seed that was public (the slug): anyone could regenerate them. v2 draws them
 * from a random secret made when the holdouts are generated and kept beside them, so nothing in the
 * repository reproduces them; a scorer refuses v1.
 */
export const HOLDOUT_VERSION = 'holdouts-v2';
/** The file in the holdouts directory that holds the secret the generated labels were drawn from. */
export const HOLDOUT_SECRET_FILE = 'secret';

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
  generated_at: string;
  /** `origin: imported` marks real labels imported by an operator (generated ones carry none). */
  files: Record<HoldoutSlug, { file: string; rows: number; sha256: string; origin?: 'imported' }>;
}
