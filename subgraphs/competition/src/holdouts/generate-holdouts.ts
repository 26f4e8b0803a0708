import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  HOLDOUT_FILES,
  HOLDOUT_SECRET_FILE,
  HOLDOUT_VERSION,
  type HoldoutManifest,
  type HoldoutSlug,
} from './holdout-formats';
import type { Box } from '../scoring/metrics/rsna-map';
import { KeyedRandom, type RandomStream } from './keyed-random';

const TITANIC_FIRST_ID = 892;
const TITANIC_ROWS = 418; // PassengerId 892-1309, as the real test split
export const TITANIC_SURVIVAL_RATE = 0.38;
const CIFAR_CLASSES = 100;
const CIFAR_PER_CLASS = 100; // 10,000 test images, 100 per fine label, as the real test split
const RSNA_IMAGES = 3000;
/** Share of images with opacity (training data is drawn at the same rate). */
export const RSNA_POSITIVE_RATE = 0.27;
const RSNA_IMAGE_SIZE = 1024;

/**
 * Generates the three holdouts in the real formats (never the real labels) from a secret: a fresh random
 * one unless given. Writes the secret (owner-only), the label files and a manifest (version, row count
 * and SHA-256 per file) into `dir`, and returns the manifest. The same secret gives the same files, so an
 * operator holding it can rebuild them; without it they cannot be reproduced from anything public.
 *
 * Every draw comes from a stream keyed by the whole secret (KeyedRandom), and what participants see is
 * drawn apart from the labels: the RSNA patient ids from a stream of their own, so the published ids say
 * nothing of which images hold opacities (v2 drew both from one 32-bit generator: the first public id
 * gave away its state, and with it every box).
 */
export function generateHoldouts(dir: string, secret: string = randomBytes(32).toString('hex')): HoldoutManifest {
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new Error('the holdout secret must be 32 random bytes in hex');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, HOLDOUT_SECRET_FILE), `${secret}\n`, { mode: 0o600 });
  const stream = (slug: HoldoutSlug, purpose: string) =>
    new KeyedRandom(secret, `${HOLDOUT_VERSION}:${slug}:${purpose}`);
  const contents: Record<HoldoutSlug, string[]> = {
    'titanic-survival': titanicRows(stream('titanic-survival', 'labels')),
    'cifar-100-classification': cifarRows(stream('cifar-100-classification', 'labels')),
    'rsna-pneumonia-detection': rsnaRows(
      rsnaTestIds(stream('rsna-pneumonia-detection', 'ids')),
      stream('rsna-pneumonia-detection', 'labels'),
    ),
  };
  const files = {} as HoldoutManifest['files'];
  for (const [slug, rows] of Object.entries(contents) as Array<[HoldoutSlug, string[]]>) {
    const { file, header } = HOLDOUT_FILES[slug];
    const text = `${header}\n${rows.join('\n')}\n`;
    writeFileSync(path.join(dir, file), text, { mode: 0o600 });
    files[slug] = { file, rows: rows.length, sha256: createHash('sha256').update(text).digest('hex') };
  }
  const manifest: HoldoutManifest = {
    version: HOLDOUT_VERSION,
    generated_by: 'medforge generate-holdouts',
    generated_at: new Date().toISOString(),
    files,
  };
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

function titanicRows(random: RandomStream): string[] {
  return Array.from({ length: TITANIC_ROWS }, (_, i) => {
    return `${TITANIC_FIRST_ID + i},${random.next() < TITANIC_SURVIVAL_RATE ? 1 : 0}`;
  });
}

function cifarRows(random: KeyedRandom): string[] {
  const labels = random.shuffle(
    Array.from({ length: CIFAR_CLASSES * CIFAR_PER_CLASS }, (_, i) => Math.floor(i / CIFAR_PER_CLASS)),
  );
  return labels.map((label, id) => `${id},${label}`);
}

/** The published test ids: drawn on their own, so they carry nothing of the labels. */
function rsnaTestIds(random: KeyedRandom): string[] {
  const ids = new Set<string>();
  while (ids.size < RSNA_IMAGES) ids.add(random.uuid());
  return [...ids];
}

function rsnaRows(patientIds: readonly string[], random: RandomStream): string[] {
  const rows: string[] = [];
  for (const patientId of patientIds) {
    if (random.next() >= RSNA_POSITIVE_RATE) {
      rows.push(`${patientId},,,,,0`);
      continue;
    }
    for (const box of drawOpacityBoxes(random)) {
      rows.push(`${patientId},${box.x},${box.y},${box.width},${box.height},1`);
    }
  }
  return rows;
}

/** Opacities come one per lung, sometimes two: 1-3 boxes, left and right halves of a 1024-pixel film. */
export function drawOpacityBoxes(random: RandomStream): Box[] {
  const boxes: Box[] = [];
  const count = random.int(1, 3);
  for (let b = 0; b < count; b++) {
    const width = random.int(90, 330);
    const height = random.int(120, 560);
    const half = b % 2 === 0 ? 0 : RSNA_IMAGE_SIZE / 2;
    const x = half + random.int(40, RSNA_IMAGE_SIZE / 2 - width - 10);
    const y = random.int(100, RSNA_IMAGE_SIZE - height - 40);
    boxes.push({ x, y, width, height });
  }
  return boxes;
}
