import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

import { HOLDOUT_FILES, type HoldoutManifest } from '../holdouts/holdout-formats';
import { parseHoldoutFile } from '../holdouts/holdout-store';
import { readCsv } from '../scoring/csv/read-csv';
import { SubmissionFormatError } from '../scoring/csv/submission-format-error';
import { readSubmission } from '../scoring/submission-rules';
import { type DatasetFileSpec, type DatasetPart, layoutOfCompetition } from './dataset-layout';
import { hashFile, writePart } from './dataset-manifest';
import type { DataRoots } from './generate-datasets';
import { readNpyHeader } from './npy';

export class DatasetImportError extends Error {
  override name = 'DatasetImportError';
}

export interface ImportRequest {
  competition: string;
  /** Folder holding the downloaded files (their original names are accepted). */
  sourceDir: string;
  /** The hidden test labels in the holdout format: real data is scored against its own labels, always. */
  labelsFile: string;
  roots: DataRoots;
  holdoutsDir: string;
  /** The submission columns of the competition (from its catalog row). */
  columns: { idColumn: string; targetColumn: string };
}

export interface ImportReport {
  dataset: string;
  files: Array<{ part: DatasetPart; name: string; bytes: number; sha256: string }>;
}

/**
 * Imports a competition's real files: every required file present and in its format (CSV headers and row
 * counts, NumPy shapes, ZIP signatures), the sample submission a valid submission, its ids exactly the
 * test labels' ids (real data is always scored against its own labels). Only then is anything written: each part is copied aside with its SHA-256 computed on
 * the way, the copy re-read and compared, and put in place whole; the labels go to the holdouts last, the
 * replaced file kept beside them. The scoring worker rescores what the old labels scored at its next start.
 */
export async function importDataset(request: ImportRequest): Promise<ImportReport> {
  const layout = layoutOfCompetition(request.competition);
  if (!layout) throw new DatasetImportError(`${request.competition} has no dataset layout`);
  const found = await locateSources(layout.files, request.sourceDir);
  for (const { spec, source } of found) await checkFile(spec, source);

  const sample = found.find((f) => f.spec.part === 'public-eval' && f.spec.name === layout.sampleSubmission)!;
  const sampleBytes = await readFile(sample.source);
  const sampleTable = readCsv(sampleBytes);
  const idIndex = sampleTable.header.indexOf(request.columns.idColumn);
  const sampleIds = new Set(sampleTable.rows.map((r) => r.fields[idIndex]!.trim()));
  const labelsText = (await readFile(request.labelsFile, 'utf8')).replace(/\r\n/g, '\n');
  let labelIds: ReadonlySet<string>;
  try {
    const { truth } = parseHoldoutFile(layout.competition, labelsText, request.labelsFile);
    labelIds = new Set(truth.kind === 'labels' ? truth.labels.keys() : truth.boxes.keys());
  } catch (error) {
    throw new DatasetImportError(`labels: ${(error as Error).message}`);
  }
  const unlabelled = [...sampleIds].filter((id) => !labelIds.has(id));
  if (sampleIds.size !== labelIds.size || unlabelled.length > 0) {
    throw new DatasetImportError(
      `${layout.sampleSubmission} lists ${sampleIds.size} test ids and the labels ${labelIds.size}; ` +
        `${unlabelled.length} ids have no label (e.g. ${unlabelled.slice(0, 3).join(', ') || '-'})`,
    );
  }
  try {
    readSubmission(layout.competition, sampleBytes, request.columns, labelIds);
  } catch (error) {
    if (error instanceof SubmissionFormatError) {
      throw new DatasetImportError(`${layout.sampleSubmission} is not a valid submission: ${error.message}`);
    }
    throw error;
  }

  const report: ImportReport = { dataset: layout.dataset, files: [] };
  const source = `import of ${path.resolve(request.sourceDir)}`;
  for (const part of ['training', 'public-eval'] as const) {
    const root = part === 'training' ? request.roots.training : request.roots.publicEval;
    const header = { dataset: layout.dataset, part, origin: 'imported' as const, source };
    const files = await writePart(root, header, async (staging) => {
      const entries = [];
      for (const { spec, source: from } of found.filter((f) => f.spec.part === part)) {
        const to = path.join(staging, spec.name);
        const copied = await copyHashing(from, to);
        const landed = await hashFile(to);
        if (landed.sha256 !== copied.sha256 || landed.bytes !== copied.bytes) {
          throw new DatasetImportError(`${to} differs from what was read from ${from}; the disk or the source changed`);
        }
        entries.push({ path: spec.name, ...landed });
      }
      return entries;
    });
    report.files.push(...files.map((f) => ({ part, name: f.path, bytes: f.bytes, sha256: f.sha256 })));
  }
  await installLabels(request.holdoutsDir, layout.competition, labelsText);
  return report;
}

async function locateSources(
  specs: readonly DatasetFileSpec[],
  sourceDir: string,
): Promise<Array<{ spec: DatasetFileSpec; source: string }>> {
  const found: Array<{ spec: DatasetFileSpec; source: string }> = [];
  const missing: string[] = [];
  for (const spec of specs) {
    let source: string | null = null;
    for (const name of [spec.name, ...(spec.sourceNames ?? [])]) {
      const candidate = path.join(sourceDir, name);
      if ((await stat(candidate).catch(() => null))?.isFile()) {
        source = candidate;
        break;
      }
    }
    if (source) found.push({ spec, source });
    else if (spec.required) missing.push([spec.name, ...(spec.sourceNames ?? [])].join(' or '));
  }
  if (missing.length > 0) throw new DatasetImportError(`${sourceDir} lacks ${missing.join(', ')}`);
  return found;
}

async function checkFile(spec: DatasetFileSpec, file: string): Promise<void> {
  const { check } = spec;
  const fail = (reason: string) => {
    throw new DatasetImportError(`${file} (${spec.name}): ${reason}`);
  };
  if (check.kind === 'csv') {
    let table;
    try {
      table = readCsv(await readFile(file));
    } catch (error) {
      return fail((error as Error).message);
    }
    const header = table.header.map((h) => h.trim());
    if (header.join(',') !== check.header.join(',')) fail(`the header must be ${check.header.join(',')}`);
    if (check.rows !== undefined && table.rows.length !== check.rows) {
      fail(`${table.rows.length} rows; expected ${check.rows}`);
    }
    return;
  }
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const size = (await handle.stat()).size;
    if (check.kind === 'zip') {
      if (bytesRead < 4 || head.readUInt32LE(0) !== 0x04034b50) fail('not a ZIP archive');
      return;
    }
    const npy = readNpyHeader(head.subarray(0, bytesRead));
    if (!npy) return fail('not a NumPy .npy file');
    if (npy.dtype !== check.dtype || npy.fortranOrder || npy.shape.join(',') !== check.shape.join(',')) {
      fail(
        `must be a C-order ${check.dtype} array of shape (${check.shape.join(', ')}); it is ${npy.dtype} (${npy.shape.join(', ')})`,
      );
    }
    const expected = npy.dataOffset + check.shape.reduce((a, b) => a * b, 1);
    if (size !== expected) fail(`${size} bytes; an array of that shape takes ${expected}`);
  } finally {
    await handle.close();
  }
}

async function copyHashing(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    createReadStream(from, { highWaterMark: 1024 * 1024 }),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(to, { mode: 0o644 }),
  );
  return { bytes, sha256: hash.digest('hex') };
}

/** Replaces one competition's holdout file and its manifest entry; the previous file is kept beside it. */
async function installLabels(
  holdoutsDir: string,
  competition: keyof typeof HOLDOUT_FILES,
  text: string,
): Promise<void> {
  const manifestPath = path.join(holdoutsDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as HoldoutManifest;
  const { file } = HOLDOUT_FILES[competition];
  const target = path.join(holdoutsDir, file);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeFile(`${target}.importing`, text, { mode: 0o600 });
  await rename(target, `${target}.replaced-${stamp}`).catch(() => undefined);
  await rename(`${target}.importing`, target);
  const { rows } = parseHoldoutFile(competition, text, target);
  manifest.files[competition] = {
    file,
    rows,
    sha256: createHash('sha256').update(text).digest('hex'),
    origin: 'imported',
  };
  await writeFile(`${manifestPath}.importing`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(`${manifestPath}.importing`, manifestPath);
}
