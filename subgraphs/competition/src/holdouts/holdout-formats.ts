/**
 * The permanent competitions' hidden label files: name, header, and what a generated one holds.
 * v1 drew its labels from a seed that was public (the slug): anyone could regenerate them. v2 drew them
 * from a random secret, but through a generator of 32 bits of state that the public ids and features
 * gave away. v3 draws every value from streams keyed by the whole secret, public ids apart from labels.
 * A scorer refuses the earlier versions, each for its reason.
 */
export const HOLDOUT_VERSION = 'holdouts-v3';
export const WEAK_HOLDOUT_VERSIONS: Readonly<Record<string, string>> = {
  'holdouts-v1': 'whose labels anyone can regenerate from the public source',
  'holdouts-v2': 'whose labels can be rebuilt by brute force from the public files (a 32-bit generator state)',
};
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
