import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Box } from '../scoring/metrics/rsna-map';
import {
  HOLDOUT_FILES,
  HOLDOUT_SLUGS,
  HOLDOUT_VERSION,
  type HoldoutManifest,
  type HoldoutSlug,
  WEAK_HOLDOUT_VERSIONS,
} from './holdout-formats';

/** Truth of one competition: label per id, or boxes per image (possibly none). */
export type HoldoutTruth =
  | { kind: 'labels'; labels: ReadonlyMap<string, string> }
  | { kind: 'boxes'; boxes: ReadonlyMap<string, readonly Box[]> };

export interface Holdout {
  slug: HoldoutSlug;
  /** SHA-256 of the file, recorded with every score it produced. */
  sha256: string;
  version: string;
  truth: HoldoutTruth;
  ids: ReadonlySet<string>;
}

export class HoldoutError extends Error {
  override name = 'HoldoutError';
}

/**
 * Loads and verifies TEST_HOLDOUTS_DIR: the manifest's version, then for each file its SHA-256 and row
 * count, then its contents. Any mismatch stops the caller at start, with the file and what is wrong,
 * rather than scoring against tampered or truncated labels.
 */
export function loadHoldouts(dir: string): Map<HoldoutSlug, Holdout> {
  const manifestPath = path.join(dir, 'manifest.json');
  let manifest: HoldoutManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as HoldoutManifest;
  } catch (error) {
    throw new HoldoutError(`cannot read ${manifestPath}: ${(error as Error).message}`);
  }
  const weakness = WEAK_HOLDOUT_VERSIONS[manifest.version];
  if (weakness) {
    throw new HoldoutError(
      `${manifestPath} is ${manifest.version}, ${weakness}; generate new ones (medforge datasets generate, or ` +
        `npm run holdouts:generate -- --ensure ${dir}: imported labels are kept); existing scores are redone ` +
        'at the next start',
    );
  }
  if (manifest.version !== HOLDOUT_VERSION) {
    throw new HoldoutError(`${manifestPath} is version ${manifest.version}; this scorer reads ${HOLDOUT_VERSION}`);
  }
  const holdouts = new Map<HoldoutSlug, Holdout>();
  for (const slug of HOLDOUT_SLUGS) {
    const entry = manifest.files?.[slug];
    if (!entry) throw new HoldoutError(`${manifestPath} has no entry for ${slug}`);
    const file = path.join(dir, HOLDOUT_FILES[slug].file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new HoldoutError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== entry.sha256) {
      throw new HoldoutError(`${file} has SHA-256 ${sha256}; the manifest says ${entry.sha256}`);
    }
    const { truth, rows } = parseHoldoutFile(slug, bytes.toString('utf8'), file);
    if (rows !== entry.rows) {
      throw new HoldoutError(`${file} has ${rows} rows; the manifest says ${entry.rows}`);
    }
    const ids = new Set(truth.kind === 'labels' ? truth.labels.keys() : truth.boxes.keys());
    holdouts.set(slug, { slug, sha256, version: manifest.version, truth, ids });
  }
  return holdouts;
}

/** A holdout file's text in its competition's format (header checked): the truth it holds and its row count. */
export function parseHoldoutFile(slug: HoldoutSlug, text: string, file: string): { truth: HoldoutTruth; rows: number } {
  const lines = text.split('\n').filter(Boolean);
  if (lines[0] !== HOLDOUT_FILES[slug].header) {
    throw new HoldoutError(`${file} must start with the header ${HOLDOUT_FILES[slug].header}`);
  }
  const rows = lines.slice(1);
  return {
    truth: slug === 'rsna-pneumonia-detection' ? parseBoxes(rows, file) : parseLabels(rows, file),
    rows: rows.length,
  };
}

function parseLabels(rows: string[], file: string): HoldoutTruth {
  const labels = new Map<string, string>();
  rows.forEach((row, index) => {
    const [id, label, ...rest] = row.split(',');
    if (!id || label === undefined || rest.length > 0 || labels.has(id)) {
      throw new HoldoutError(`${file} line ${index + 2} is malformed or repeats an id`);
    }
    labels.set(id, label);
  });
  return { kind: 'labels', labels };
}

function parseBoxes(rows: string[], file: string): HoldoutTruth {
  const boxes = new Map<string, Box[]>();
  rows.forEach((row, index) => {
    const [patientId, x, y, width, height, target] = row.split(',');
    const list = boxes.get(patientId!) ?? [];
    boxes.set(patientId!, list);
    if (target === '0') return;
    const numbers = [x, y, width, height].map(Number);
    if (target !== '1' || numbers.some((n) => !Number.isFinite(n))) {
      throw new HoldoutError(`${file} line ${index + 2} is malformed`);
    }
    const [bx, by, bw, bh] = numbers as [number, number, number, number];
    list.push({ x: bx, y: by, width: bw, height: bh });
  });
  return { kind: 'boxes', boxes };
}
