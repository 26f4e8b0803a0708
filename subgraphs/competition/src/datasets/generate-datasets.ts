import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { HOLDOUT_SECRET_FILE } from '../holdouts/holdout-formats';
import { type Holdout, loadHoldouts } from '../holdouts/holdout-store';
import { DATASET_LAYOUTS, type DatasetLayout, type DatasetPart } from './dataset-layout';
import { hashFile, readManifest, writePart } from './dataset-manifest';
import {
  CifarImages,
  cifarTrainLabels,
  GeneratedContent,
  rsnaSampleSubmission,
  rsnaTrainLabels,
  titanicFiles,
} from './generated-content';
import { npyHeader } from './npy';

export interface DataRoots {
  training: string;
  publicEval: string;
}

export type GenerateMode = 'ensure' | 'replace';

export interface GenerateReport {
  dataset: string;
  action: 'generated' | 'kept' | 'kept-imported';
  bytes: number;
}

/** A keyed fingerprint of the secret: says which holdouts data was drawn from, reveals nothing of them. */
export function secretFingerprint(secret: string): string {
  return `holdout-secret:${createHmac('sha256', secret).update('medforge-datasets-v1').digest('hex').slice(0, 32)}`;
}

/**
 * Generates every dataset's training and public-eval parts from the holdouts in `holdoutsDir` (their
 * secret and labels). `ensure` keeps parts that were generated from the same secret, or imported;
 * `replace` regenerates all but imported ones. Each part is written aside and put in place whole.
 */
export async function generateDatasets(
  holdoutsDir: string,
  roots: DataRoots,
  mode: GenerateMode = 'ensure',
): Promise<GenerateReport[]> {
  const secret = (await readFile(path.join(holdoutsDir, HOLDOUT_SECRET_FILE), 'utf8')).trim();
  const holdouts = loadHoldouts(holdoutsDir);
  const source = secretFingerprint(secret);
  const content = new GeneratedContent(secret);
  const reports: GenerateReport[] = [];
  for (const layout of DATASET_LAYOUTS) {
    const current = await Promise.all([
      readManifest(roots.training, layout.dataset),
      readManifest(roots.publicEval, layout.dataset),
    ]);
    if (current.some((m) => m?.origin === 'imported')) {
      reports.push({ dataset: layout.dataset, action: 'kept-imported', bytes: 0 });
      continue;
    }
    if (mode === 'ensure' && current.every((m) => m?.source === source)) {
      reports.push({ dataset: layout.dataset, action: 'kept', bytes: 0 });
      continue;
    }
    const holdout = holdouts.get(layout.competition)!;
    const bytes = await writeGenerated(layout, holdout, content, roots, source);
    reports.push({ dataset: layout.dataset, action: 'generated', bytes });
  }
  return reports;
}

type FileWriter = (file: string) => Promise<void>;

async function writeGenerated(
  layout: DatasetLayout,
  holdout: Holdout,
  content: GeneratedContent,
  roots: DataRoots,
  source: string,
): Promise<number> {
  const writers = writersFor(layout, holdout, content);
  let total = 0;
  for (const part of ['training', 'public-eval'] as const satisfies readonly DatasetPart[]) {
    const root = part === 'training' ? roots.training : roots.publicEval;
    const header = { dataset: layout.dataset, part, origin: 'generated' as const, source };
    const files = await writePart(root, header, async (staging) => {
      const entries = [];
      for (const spec of layout.files.filter((f) => f.part === part && f.required)) {
        const file = path.join(staging, spec.name);
        await writers[spec.name]!(file);
        entries.push({ path: spec.name, ...(await hashFile(file)) });
      }
      return entries;
    });
    total += files.reduce((sum, f) => sum + f.bytes, 0);
  }
  return total;
}

const text =
  (produce: () => string): FileWriter =>
  (file) =>
    writeFile(file, produce(), { mode: 0o644 });

function writersFor(layout: DatasetLayout, holdout: Holdout, content: GeneratedContent): Record<string, FileWriter> {
  const { truth } = holdout;
  switch (layout.competition) {
    case 'titanic-survival': {
      if (truth.kind !== 'labels') throw new Error('titanic holdout must hold labels');
      const files = titanicFiles(content, truth.labels);
      return {
        'train.csv': text(() => files.train),
        'test.csv': text(() => files.test),
        'sample_submission.csv': text(() => files.sample),
      };
    }
    case 'cifar-100-classification': {
      if (truth.kind !== 'labels') throw new Error('cifar holdout must hold labels');
      const images = new CifarImages(content);
      const trainLabels = cifarTrainLabels(content);
      const testIds = [...truth.labels.keys()].sort((a, b) => Number(a) - Number(b));
      return {
        'train_images.npy': (file) => writeImages(file, images, trainLabels, content.noise('cifar-100:train-noise')),
        'train_labels.csv': text(() => `id,label\n${trainLabels.map((label, id) => `${id},${label}\n`).join('')}`),
        'test_images.npy': (file) =>
          writeImages(
            file,
            images,
            testIds.map((id) => Number(truth.labels.get(id))),
            content.noise('cifar-100:test-noise'),
          ),
        'sample_submission.csv': text(() => `id,label\n${testIds.map((id) => `${id},0\n`).join('')}`),
      };
    }
    case 'rsna-pneumonia-detection': {
      if (truth.kind !== 'boxes') throw new Error('rsna holdout must hold boxes');
      const testIds = new Set(truth.boxes.keys());
      return {
        'stage_2_train_labels.csv': text(() => rsnaTrainLabels(content, testIds)),
        'stage_2_sample_submission.csv': text(() => rsnaSampleSubmission(testIds)),
      };
    }
  }
}

const IMAGES_PER_CHUNK = 2_000;

async function writeImages(
  file: string,
  images: CifarImages,
  labels: readonly number[],
  noise: (length: number) => Buffer,
): Promise<void> {
  const out = createWriteStream(file, { mode: 0o644 });
  const write = async (chunk: Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(npyHeader([labels.length, 32, 32, 3]));
  for (let start = 0; start < labels.length; start += IMAGES_PER_CHUNK) {
    await write(images.render(labels.slice(start, start + IMAGES_PER_CHUNK), noise));
  }
  out.end();
  await once(out, 'finish');
}
