import {
  COMPETITIONS,
  DATASET_LAYOUTS,
  DatasetImportError,
  ensureHoldouts,
  generateDatasets,
  HoldoutError,
  importDataset,
  verifyData,
} from '@medforge/competition';
import { configFragments, loadConfig, z } from '@medforge/shared-schema';

import { CliError, type Output } from '../output';

const dataConfigSchema = z.object(configFragments.competitionDataRoots).superRefine(configFragments.disjointDataRoots);

export const DATASETS_USAGE = `  datasets generate [--ensure|--replace]
                                   secret holdouts (kept if current) and the datasets drawn from them
                                   (development, CI); imported data is never overwritten
  datasets import <competition> <dir> --labels <file>
                                   import a competition's real files (e.g. the Kaggle download) and
                                   its hidden test labels (holdout format), all verified first
  datasets verify                  every file against its manifest; sample submissions against holdouts`;

/** `medforge datasets …`: the competition data under TRAINING_DATA_ROOT, PUBLIC_EVAL_DATA_ROOT, TEST_HOLDOUTS_DIR. */
export async function datasets(env: NodeJS.ProcessEnv, args: string[], out: Output): Promise<number> {
  const config = loadConfig(dataConfigSchema, env);
  const roots = { training: config.TRAINING_DATA_ROOT, publicEval: config.PUBLIC_EVAL_DATA_ROOT };
  const [action, ...rest] = args;
  try {
    switch (action) {
      case 'generate': {
        const mode = rest.includes('--replace') ? 'replace' : 'ensure';
        const holdouts = ensureHoldouts(config.TEST_HOLDOUTS_DIR, mode);
        if (holdouts.movedAsideTo) {
          out.line(`previous holdouts (${holdouts.previousVersion}) moved aside to ${holdouts.movedAsideTo}`);
        }
        for (const slug of holdouts.keptImported ?? []) out.line(`imported labels of ${slug} kept`);
        out.line(`holdouts ${holdouts.action} in ${config.TEST_HOLDOUTS_DIR}`);
        for (const report of await generateDatasets(config.TEST_HOLDOUTS_DIR, roots, mode)) {
          const size = report.bytes > 0 ? ` (${(report.bytes / 1024 / 1024).toFixed(1)} MiB)` : '';
          out.line(`dataset ${report.dataset}: ${report.action}${size}`);
        }
        return 0;
      }
      case 'import': {
        const [competition, dir] = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--labels');
        const labelsAt = rest.indexOf('--labels');
        const labelsFile = labelsAt >= 0 ? (rest[labelsAt + 1] ?? null) : null;
        const seed = COMPETITIONS.find((c) => c.slug === competition);
        if (!seed || !dir || !labelsFile) {
          throw new CliError(
            `usage: medforge datasets import <competition> <dir> --labels <file>; competitions: ${DATASET_LAYOUTS.map((l) => l.competition).join(', ')}`,
          );
        }
        const report = await importDataset({
          competition: seed.slug,
          sourceDir: dir,
          labelsFile,
          roots,
          holdoutsDir: config.TEST_HOLDOUTS_DIR,
          columns: { idColumn: seed.id_column, targetColumn: seed.target_column },
        });
        for (const file of report.files) {
          out.line(
            `${file.part.padEnd(11)} ${file.name.padEnd(32)} ${String(file.bytes).padStart(12)}  sha256 ${file.sha256}`,
          );
        }
        out.line(
          `imported ${report.dataset} and its test labels: restart the scoring worker, which rescores earlier ` +
            'submissions at start',
        );
        return 0;
      }
      case 'verify': {
        let failed = false;
        for (const line of await verifyData(roots, config.TEST_HOLDOUTS_DIR)) {
          (line.ok ? out.line : out.problem)(`${line.ok ? 'ok  ' : 'FAIL'} ${line.dataset}: ${line.detail}`);
          failed ||= !line.ok;
        }
        return failed ? 1 : 0;
      }
      default:
        throw new CliError(`usage:\n${DATASETS_USAGE}`);
    }
  } catch (error) {
    if (error instanceof DatasetImportError || error instanceof HoldoutError) throw new CliError(error.message);
    throw error;
  }
}
