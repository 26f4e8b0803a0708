import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateDatasets, generateHoldouts } from '@medforge/competition';

export interface InstalledData {
  holdoutsDir: string;
  trainingRoot: string;
  publicEvalRoot: string;
  /** The three roots as the services read them (pass to startTestStack). */
  env: Record<string, string>;
}

/** Competition data as `medforge datasets generate` installs it: secret holdouts and the datasets drawn from them. */
export async function installGeneratedData(): Promise<InstalledData> {
  // Under a hidden folder, as the development stack keeps its data in .run/data: the file server must not
  // mistake a hidden parent folder for a hidden file.
  const base = path.join(mkdtempSync(path.join(tmpdir(), 'mf-test-data-')), '.run');
  const holdoutsDir = path.join(base, 'holdouts');
  const trainingRoot = path.join(base, 'training');
  const publicEvalRoot = path.join(base, 'public-eval');
  generateHoldouts(holdoutsDir);
  await generateDatasets(holdoutsDir, { training: trainingRoot, publicEval: publicEvalRoot });
  return {
    holdoutsDir,
    trainingRoot,
    publicEvalRoot,
    env: { TEST_HOLDOUTS_DIR: holdoutsDir, TRAINING_DATA_ROOT: trainingRoot, PUBLIC_EVAL_DATA_ROOT: publicEvalRoot },
  };
}
