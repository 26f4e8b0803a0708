import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { layoutOfCompetition } from '../src/datasets/dataset-layout';
import { readManifest, verifyPart } from '../src/datasets/dataset-manifest';
import { type DataRoots, generateDatasets, secretFingerprint } from '../src/datasets/generate-datasets';
import { importDataset } from '../src/datasets/import-dataset';
import { npyHeader, readNpyHeader } from '../src/datasets/npy';
import { verifyData } from '../src/datasets/verify-data';
import { generateHoldouts } from '../src/holdouts/generate-holdouts';
import { loadHoldouts } from '../src/holdouts/holdout-store';
import { readCsv } from '../src/scoring/csv/read-csv';
import { readSubmission } from '../src/scoring/submission-rules';

const fresh = (label: string) => mkdtempSync(path.join(tmpdir(), `mf-datasets-${label}-`));

interface Install {
  base: string;
  holdouts: string;
  roots: DataRoots;
}

async function install(): Promise<Install> {
  const base = fresh('install');
  const holdouts = path.join(base, 'holdouts');
  const roots = { training: path.join(base, 'training'), publicEval: path.join(base, 'public-eval') };
  generateHoldouts(holdouts);
  await generateDatasets(holdouts, roots);
  return { base, holdouts, roots };
}

const file = (root: string, dataset: string, name: string) => readFileSync(path.join(root, dataset, name));

describe('generated datasets', () => {
  let it1: Install;

  beforeAll(async () => {
    it1 = await install();
  }, 60_000);
  afterAll(() => rmSync(it1.base, { recursive: true, force: true }));

  it('publish, per competition, a sample submission that is a valid submission of exactly the test ids', () => {
    const holdouts = loadHoldouts(it1.holdouts);
    for (const [competition, columns] of [
      ['titanic-survival', { idColumn: 'PassengerId', targetColumn: 'Survived' }],
      ['cifar-100-classification', { idColumn: 'id', targetColumn: 'label' }],
      ['rsna-pneumonia-detection', { idColumn: 'patientId', targetColumn: 'PredictionString' }],
    ] as const) {
      const layout = layoutOfCompetition(competition)!;
      const sample = file(it1.roots.publicEval, layout.dataset, layout.sampleSubmission);
      const parsed = readSubmission(competition, sample, columns, holdouts.get(competition)!.ids);
      expect(parsed.predictions.size).toBe(holdouts.get(competition)!.ids.size);
    }
  });

  it('have the real shapes: Titanic features without labels in test.csv, CIFAR arrays, RSNA ids apart from the test set', () => {
    const test = readCsv(file(it1.roots.publicEval, 'titanic', 'test.csv'));
    expect(test.header).not.toContain('Survived');
    expect(test.rows).toHaveLength(418);
    expect(readCsv(file(it1.roots.training, 'titanic', 'train.csv')).rows).toHaveLength(891);
    const images = readNpyHeader(file(it1.roots.publicEval, 'cifar-100', 'test_images.npy').subarray(0, 256));
    expect(images).toMatchObject({ dtype: '|u1', fortranOrder: false, shape: [10_000, 32, 32, 3] });
    const train = readCsv(file(it1.roots.training, 'rsna-pneumonia', 'stage_2_train_labels.csv'));
    const trainIds = new Set(train.rows.map((r) => r.fields[0]));
    expect(trainIds.size).toBe(26_684);
    const testIds = loadHoldouts(it1.holdouts).get('rsna-pneumonia-detection')!.ids;
    expect([...testIds].filter((id) => trainIds.has(id))).toEqual([]);
  });

  it('carry signal: what the training data teaches scores well above chance on the hidden labels', () => {
    const truth = loadHoldouts(it1.holdouts);
    // Titanic: the sample's rule (women survive) against the hidden labels.
    const titanic = truth.get('titanic-survival')!.truth;
    if (titanic.kind !== 'labels') throw new Error('labels expected');
    const sample = readCsv(file(it1.roots.publicEval, 'titanic', 'sample_submission.csv')).rows;
    const right = sample.filter((r) => titanic.labels.get(r.fields[0]!) === r.fields[1]).length;
    expect(right / sample.length).toBeGreaterThan(0.7);
    // CIFAR: class means of 5,000 training images classify 1,000 test images far above 1 %.
    const trainImages = file(it1.roots.training, 'cifar-100', 'train_images.npy');
    const trainLabels = readCsv(file(it1.roots.training, 'cifar-100', 'train_labels.csv')).rows.map((r) =>
      Number(r.fields[1]),
    );
    const offset = readNpyHeader(trainImages.subarray(0, 256))!.dataOffset;
    const size = 32 * 32 * 3;
    const sums = Array.from({ length: 100 }, () => new Float64Array(size));
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 5_000; i++) {
      const label = trainLabels[i]!;
      counts[label]!++;
      for (let p = 0; p < size; p++) sums[label]![p]! += trainImages[offset + i * size + p]!;
    }
    const means = sums.map((sum, label) => sum.map((v) => v / Math.max(1, counts[label]!)));
    const testImages = file(it1.roots.publicEval, 'cifar-100', 'test_images.npy');
    const cifar = truth.get('cifar-100-classification')!.truth;
    if (cifar.kind !== 'labels') throw new Error('labels expected');
    let hits = 0;
    for (let id = 0; id < 1_000; id++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let label = 0; label < 100; label++) {
        let distance = 0;
        for (let p = 0; p < size; p += 7) distance += (testImages[offset + id * size + p]! - means[label]![p]!) ** 2;
        if (distance < bestDistance) [best, bestDistance] = [label, distance];
      }
      if (String(best) === cifar.labels.get(String(id))) hits++;
    }
    expect(hits / 1_000).toBeGreaterThan(0.5);
  });

  it('record where they came from without revealing the secret, and match their manifests', async () => {
    const secret = readFileSync(path.join(it1.holdouts, 'secret'), 'utf8').trim();
    const manifest = (await readManifest(it1.roots.publicEval, 'titanic'))!;
    expect(manifest).toMatchObject({ origin: 'generated', source: secretFingerprint(secret) });
    expect(JSON.stringify(manifest)).not.toContain(secret);
    expect(await verifyPart(it1.roots.publicEval, manifest)).toEqual([]);
    writeFileSync(path.join(it1.roots.publicEval, 'titanic', 'test.csv'), 'tampered\n', { flag: 'a' });
    expect(await verifyPart(it1.roots.publicEval, manifest)).toEqual([
      expect.stringMatching(/test\.csv: \d+ bytes, the manifest says/),
    ]);
    const report = await verifyData(it1.roots, it1.holdouts);
    expect(report.find((l) => l.dataset === 'titanic')).toMatchObject({ ok: false });
    expect(report.find((l) => l.dataset === 'cifar-100')).toMatchObject({ ok: true });
  });

  it('ensure keeps data drawn from the current secret and redraws it after the holdouts are replaced', async () => {
    const own = await install();
    try {
      expect((await generateDatasets(own.holdouts, own.roots)).map((r) => r.action)).toEqual(['kept', 'kept', 'kept']);
      const before = file(own.roots.publicEval, 'titanic', 'test.csv');
      rmSync(own.holdouts, { recursive: true });
      generateHoldouts(own.holdouts);
      expect((await generateDatasets(own.holdouts, own.roots)).map((r) => r.action)).toEqual([
        'generated',
        'generated',
        'generated',
      ]);
      expect(file(own.roots.publicEval, 'titanic', 'test.csv').equals(before)).toBe(false);
      expect((await verifyData(own.roots, own.holdouts)).every((l) => l.ok)).toBe(true);
    } finally {
      rmSync(own.base, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('importing real files', () => {
  let target: Install;
  let source: string;
  const columns = { idColumn: 'PassengerId', targetColumn: 'Survived' };

  beforeAll(async () => {
    target = await install();
    // "Real" Titanic files as Kaggle names them, with labels of their own (the same ids, other answers).
    source = fresh('source');
    cpSync(path.join(target.roots.training, 'titanic', 'train.csv'), path.join(source, 'train.csv'));
    cpSync(path.join(target.roots.publicEval, 'titanic', 'test.csv'), path.join(source, 'test.csv'));
    cpSync(
      path.join(target.roots.publicEval, 'titanic', 'sample_submission.csv'),
      path.join(source, 'gender_submission.csv'),
    );
    const [header, ...rows] = readFileSync(path.join(target.holdouts, 'titanic-survival.csv'), 'utf8')
      .trim()
      .split('\n');
    const flipped = rows.map((row) => row.replace(/,([01])$/, (_, label: string) => `,${label === '1' ? 0 : 1}`));
    writeFileSync(path.join(source, 'labels.csv'), `${[header, ...flipped].join('\n')}\n`);
  }, 120_000);
  afterAll(() => {
    rmSync(target.base, { recursive: true, force: true });
    rmSync(source, { recursive: true, force: true });
  });

  const request = (over: Partial<Parameters<typeof importDataset>[0]> = {}) => ({
    competition: 'titanic-survival',
    sourceDir: source,
    labelsFile: path.join(source, 'labels.csv'),
    roots: target.roots,
    holdoutsDir: target.holdouts,
    columns,
    ...over,
  });

  it('refuses missing files, wrong formats and labels that do not fit, writing nothing', async () => {
    const before = file(target.roots.publicEval, 'titanic', 'test.csv');
    const empty = fresh('empty');
    await expect(importDataset(request({ sourceDir: empty }))).rejects.toThrow(
      /lacks train\.csv, test\.csv, sample_submission\.csv or gender_submission\.csv/,
    );
    const broken = fresh('broken');
    cpSync(source, broken, { recursive: true });
    writeFileSync(path.join(broken, 'test.csv'), 'PassengerId,Name\n892,x\n');
    await expect(importDataset(request({ sourceDir: broken }))).rejects.toThrow(
      /test\.csv\): the header must be PassengerId,Pclass/,
    );
    const fewer = fresh('fewer');
    cpSync(source, fewer, { recursive: true });
    writeFileSync(path.join(fewer, 'labels.csv'), 'PassengerId,Survived\n892,1\n');
    await expect(
      importDataset(request({ sourceDir: fewer, labelsFile: path.join(fewer, 'labels.csv') })),
    ).rejects.toThrow(/lists 418 test ids and the labels 1; 417 ids have no label/);
    const cifarSource = fresh('cifar');
    // Every file there, but the training array has 10 images instead of 50,000.
    writeFileSync(
      path.join(cifarSource, 'train_images.npy'),
      Buffer.concat([npyHeader([10, 32, 32, 3]), Buffer.alloc(30_720)]),
    );
    for (const name of ['train_labels.csv', 'test_images.npy', 'sample_submission.csv']) {
      writeFileSync(path.join(cifarSource, name), '');
    }
    await expect(
      importDataset(
        request({
          competition: 'cifar-100-classification',
          sourceDir: cifarSource,
          columns: { idColumn: 'id', targetColumn: 'label' },
        }),
      ),
    ).rejects.toThrow(/must be a C-order \|u1 array of shape \(50000, 32, 32, 3\); it is \|u1 \(10, 32, 32, 3\)/);
    expect(file(target.roots.publicEval, 'titanic', 'test.csv').equals(before)).toBe(true);
    for (const dir of [empty, broken, fewer, cifarSource]) rmSync(dir, { recursive: true, force: true });
  });

  it('copies and verifies the files, installs the labels (keeping the old ones), and generation leaves them alone', async () => {
    const oldSha = loadHoldouts(target.holdouts).get('titanic-survival')!.sha256;
    const report = await importDataset(request());
    expect(report.files.map((f) => `${f.part}/${f.name}`)).toEqual([
      'training/train.csv',
      'public-eval/test.csv',
      'public-eval/sample_submission.csv',
    ]);
    expect(
      file(target.roots.publicEval, 'titanic', 'sample_submission.csv').equals(
        readFileSync(path.join(source, 'gender_submission.csv')),
      ),
    ).toBe(true);
    expect((await readManifest(target.roots.training, 'titanic'))!.origin).toBe('imported');
    const holdout = loadHoldouts(target.holdouts).get('titanic-survival')!;
    expect(holdout.sha256).not.toBe(oldSha);
    expect(
      readFileSync(path.join(target.holdouts, 'titanic-survival.csv')).equals(
        readFileSync(path.join(source, 'labels.csv')),
      ),
    ).toBe(true);
    expect((await verifyData(target.roots, target.holdouts)).every((l) => l.ok)).toBe(true);
    const again = await generateDatasets(target.holdouts, target.roots, 'replace');
    expect(again.find((r) => r.dataset === 'titanic')!.action).toBe('kept-imported');
  }, 60_000);
});
