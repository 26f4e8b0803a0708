import { loadHoldouts } from '../holdouts/holdout-store';
import { readCsv } from '../scoring/csv/read-csv';
import { DATASET_LAYOUTS } from './dataset-layout';
import { partDirectory, readManifest, verifyPart } from './dataset-manifest';
import type { DataRoots } from './generate-datasets';
import path from 'node:path';
import { readFile } from 'node:fs/promises';

export interface VerifyLine {
  dataset: string;
  ok: boolean;
  detail: string;
}

/**
 * Checks what is installed: every part's files against its manifest (size, SHA-256), the holdouts against
 * theirs, and that each sample submission lists exactly the holdout's test ids.
 */
export async function verifyData(roots: DataRoots, holdoutsDir: string): Promise<VerifyLine[]> {
  const lines: VerifyLine[] = [];
  let holdouts: ReturnType<typeof loadHoldouts> | null = null;
  try {
    holdouts = loadHoldouts(holdoutsDir);
    lines.push({ dataset: 'holdouts', ok: true, detail: `${holdoutsDir}: manifest, checksums and rows match` });
  } catch (error) {
    lines.push({ dataset: 'holdouts', ok: false, detail: (error as Error).message });
  }
  for (const layout of DATASET_LAYOUTS) {
    const problems: string[] = [];
    let files = 0;
    for (const [part, root] of [
      ['training', roots.training],
      ['public-eval', roots.publicEval],
    ] as const) {
      try {
        const manifest = await readManifest(root, layout.dataset);
        if (!manifest) {
          problems.push(`no ${part} data in ${partDirectory(root, layout.dataset)}`);
          continue;
        }
        files += manifest.files.length;
        problems.push(...(await verifyPart(root, manifest)));
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    const holdout = holdouts?.get(layout.competition);
    if (holdout && problems.length === 0) {
      const table = readCsv(
        await readFile(path.join(partDirectory(roots.publicEval, layout.dataset), layout.sampleSubmission)),
      );
      const ids = new Set(table.rows.map((r) => r.fields[0]!.trim()));
      const missing = [...holdout.ids].filter((id) => !ids.has(id)).length;
      if (ids.size !== holdout.ids.size || missing > 0) {
        problems.push(
          `${layout.sampleSubmission} lists ${ids.size} ids; the holdout has ${holdout.ids.size} (${missing} not listed)`,
        );
      }
    }
    lines.push({
      dataset: layout.dataset,
      ok: problems.length === 0,
      detail:
        problems.length === 0
          ? `${files} files match their manifests; test ids match the holdout`
          : problems.join('; '),
    });
  }
  return lines;
}
