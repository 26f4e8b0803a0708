import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type DataRoots, generateDatasets } from '../src/datasets/generate-datasets';
import { titanicPassenger } from '../src/datasets/generated-content';
import { drawOpacityBoxes, generateHoldouts, RSNA_POSITIVE_RATE } from '../src/holdouts/generate-holdouts';
import { type Holdout, loadHoldouts } from '../src/holdouts/holdout-store';
import type { RandomStream } from '../src/holdouts/keyed-random';
import type { Box } from '../src/scoring/metrics/rsna-map';
import { scoreSubmission } from '../src/scoring/score-submission';

/**
 * The attack a participant made on holdouts-v2, run here: the generator kept 32 bits of state, seeded from
 * a hash of the secret, so enumerating states until one reproduces a public value (the first RSNA test id
 * of the sample submission, the first Titanic test row) gives the state, and replaying the generator from
 * it gives every hidden label. The real attack walked all 2^32 states in about 11 s; here each run walks a
 * window of 2^16. Against the v2 scheme (rebuilt below exactly as it was) the window holds the true state,
 * which proves the attack works; against the generator in force, the same search — and the one placed
 * where a hash-seeded state would be — finds nothing, because every stream is keyed by the whole secret
 * and the public ids are drawn apart from the labels.
 */
const WINDOW = 2 ** 16;
// Taken once: under jest every global `Math.` lookup in a hot loop costs ~100 times a local call.
const { floor, imul } = Math;

/** The v2 generator (mulberry32 over 32 bits), as the attacker models it. */
class Mulberry32 implements RandomStream {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = ((this.int(0, 15) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  get current(): number {
    return this.state;
  }
}

/** v2 seeded each generator with the first 4 bytes of a SHA-256 of a label that held the secret. */
const hashSeededState = (label: string) => createHash('sha256').update(label).digest().readUInt32LE(0);

/** The states the attack tries: a window of 2^16 around `centre`. */
function* windowAround(centre: number): Generator<number> {
  for (let i = 0; i < WINDOW; i++) yield (centre - WINDOW / 2 + i) >>> 0;
}

// ---- RSNA: the first public test id gives the state; the boxes follow ---------------------------------

/** v2's RSNA holdout: ids and boxes from one generator, in that order. */
function v2RsnaHoldout(state: number, images: number): Map<string, Box[]> {
  const random = new Mulberry32(state);
  const truth = new Map<string, Box[]>();
  for (let i = 0; i < images; i++) {
    const id = random.uuid();
    truth.set(id, random.next() >= RSNA_POSITIVE_RATE ? [] : drawOpacityBoxes(random));
  }
  return truth;
}

/** Finds a state whose first uuid is the first public id, then replays the holdout from it. */
function attackRsna(publicIds: readonly string[], states: Iterable<number>): Map<string, Box[]> | null {
  for (const state of states) {
    if (new Mulberry32(state).uuid() !== publicIds[0]) continue;
    const rebuilt = v2RsnaHoldout(state, publicIds.length);
    return [...rebuilt.keys()].every((id, i) => id === publicIds[i]) ? rebuilt : null;
  }
  return null;
}

function rsnaSubmission(boxes: ReadonlyMap<string, readonly Box[]>): Buffer {
  const rows = [...boxes].map(
    ([id, list]) => `${id},${list.map((b) => `1 ${b.x} ${b.y} ${b.width} ${b.height}`).join(' ')}`,
  );
  return Buffer.from(`patientId,PredictionString\n${rows.join('\n')}\n`);
}

const RSNA_COLUMNS = { idColumn: 'patientId', targetColumn: 'PredictionString' };
const TITANIC_COLUMNS = { idColumn: 'PassengerId', targetColumn: 'Survived' };

// ---- Titanic: the first test row gives the state; each next row, its label --------------------------

/** v2's Titanic test.csv rows: each passenger's features drawn given the hidden label, one generator. */
function v2TitanicTestRows(state: number, labels: readonly boolean[]): string[][] {
  const random = new Mulberry32(state);
  return labels.map((survived) => titanicPassenger(random, survived).fields);
}

/**
 * Finds a state that draws the first row for either label, then reads each label off the next rows: the
 * label whose draws reproduce the row (when both do, the row does not tell, and the attacker guesses).
 */
function attackTitanic(
  rows: readonly string[][],
  states: Iterable<number>,
): { labels: boolean[]; determined: boolean[] } | null {
  const same = (a: readonly string[], b: readonly string[]) => a.join(',') === b.join(',');
  const replay = (state: number, label: boolean, row: readonly string[]) => {
    const random = new Mulberry32(state);
    return same(titanicPassenger(random, label).fields, row) ? random.current : null;
  };
  for (const state of states) {
    if (replay(state, false, rows[0]!) === null && replay(state, true, rows[0]!) === null) continue;
    const labels: boolean[] = [];
    const determined: boolean[] = [];
    let at = state;
    for (const row of rows) {
      const [ifDied, ifSurvived] = [replay(at, false, row), replay(at, true, row)];
      if (ifDied === null && ifSurvived === null) return null;
      labels.push(ifDied === null);
      determined.push(ifDied === null || ifSurvived === null);
      at = (ifDied ?? ifSurvived)!;
    }
    return { labels, determined };
  }
  return null;
}

const titanicSubmission = (ids: readonly string[], labels: readonly boolean[]) =>
  Buffer.from(`PassengerId,Survived\n${ids.map((id, i) => `${id},${labels[i] ? 1 : 0}`).join('\n')}\n`);

// ---- the installation under attack -----------------------------------------------------------------------

interface Install {
  base: string;
  secret: string;
  holdouts: Map<string, Holdout>;
  roots: DataRoots;
  holdoutsDir: string;
}

async function install(): Promise<Install> {
  const base = mkdtempSync(path.join(tmpdir(), 'mf-secrecy-'));
  const holdoutsDir = path.join(base, 'holdouts');
  const roots = { training: path.join(base, 'training'), publicEval: path.join(base, 'public-eval') };
  generateHoldouts(holdoutsDir);
  await generateDatasets(holdoutsDir, roots);
  const secret = readFileSync(path.join(holdoutsDir, 'secret'), 'utf8').trim();
  return { base, secret, holdouts: loadHoldouts(holdoutsDir), roots, holdoutsDir };
}

const publicFile = (root: string, dataset: string, name: string) =>
  readFileSync(path.join(root, dataset, name), 'utf8')
    .trim()
    .split('\n')
    .slice(1);

describe('generated holdouts against the brute-force attack on public files', () => {
  let target: Install;

  beforeAll(async () => {
    target = await install();
  }, 60_000);
  afterAll(() => rmSync(target.base, { recursive: true, force: true }));

  it('the attack rebuilds a v2 RSNA holdout from its first public id (the control: the attack works)', () => {
    const state = hashSeededState(`holdouts-v2:${target.secret}:rsna-pneumonia-detection`);
    const truth = v2RsnaHoldout(state, 3000);
    const publicIds = [...truth.keys()]; // v2's sample submission listed them in this order
    const rebuilt = attackRsna(publicIds, windowAround(state));
    expect(rebuilt).not.toBeNull();
    const holdout: Holdout = {
      slug: 'rsna-pneumonia-detection',
      sha256: '',
      version: 'holdouts-v2',
      truth: { kind: 'boxes', boxes: truth },
      ids: new Set(truth.keys()),
    };
    expect(scoreSubmission(rsnaSubmission(rebuilt!), holdout, RSNA_COLUMNS).primaryScore).toBe(1);
  });

  it('finds no state behind the RSNA ids of the sample submission now', () => {
    const publicIds = publicFile(target.roots.publicEval, 'rsna-pneumonia', 'stage_2_sample_submission.csv').map(
      (row) => row.split(',')[0]!,
    );
    expect(publicIds).toHaveLength(3000);
    // Where v2 would have seeded it, where the ids' stream would be if it were hash-seeded, and at 0.
    for (const label of [
      `holdouts-v2:${target.secret}:rsna-pneumonia-detection`,
      `holdouts-v3:${target.secret}:rsna-pneumonia-detection:ids`,
      `holdouts-v3:${target.secret}:rsna-pneumonia-detection:labels`,
    ]) {
      expect(attackRsna(publicIds, windowAround(hashSeededState(label)))).toBeNull();
    }
    expect(attackRsna(publicIds, windowAround(WINDOW / 2))).toBeNull();
  });

  it('the attack reads the labels of a v2 Titanic test.csv off its rows (the control)', () => {
    const truth = target.holdouts.get('titanic-survival')!.truth;
    if (truth.kind !== 'labels') throw new Error('labels expected');
    const ids = [...truth.labels.keys()];
    const labels = [...truth.labels.values()].map((l) => l === '1');
    const state = hashSeededState(`datasets-v1:${target.secret}:titanic:test`);
    const recovered = attackTitanic(v2TitanicTestRows(state, labels), windowAround(state));
    expect(recovered).not.toBeNull();
    // Most rows can be drawn under one label only: those labels are all right (v2's public report: 337 of
    // 418, which then gave the holdout's own 32-bit state, and the rest).
    const determined = recovered!.determined.flatMap((known, i) => (known ? [i] : []));
    expect(determined.length).toBeGreaterThan(300);
    expect(determined.every((i) => recovered!.labels[i] === labels[i])).toBe(true);
    const score = scoreSubmission(
      titanicSubmission(ids, recovered!.labels),
      target.holdouts.get('titanic-survival')!,
      TITANIC_COLUMNS,
    );
    // The determined rows right, the rest guessed "died": about 0.9 (chance, always "died", is about 0.6).
    expect(score.primaryScore).toBeGreaterThan(0.8);
  });

  it('finds no state behind the rows of test.csv now', () => {
    const rows = publicFile(target.roots.publicEval, 'titanic', 'test.csv').map((row) => splitRow(row).slice(1));
    expect(rows).toHaveLength(418);
    for (const label of [
      `datasets-v1:${target.secret}:titanic:test`,
      `datasets-v2:${target.secret}:titanic:test:892`,
    ]) {
      expect(attackTitanic(rows, windowAround(hashSeededState(label)))).toBeNull();
    }
  });

  it('publishes RSNA files that do not depend on the hidden boxes at all', async () => {
    const before = publicBytes(target.roots, 'rsna-pneumonia');
    // The same installation with other labels for the same test images: every image without opacity.
    const file = path.join(target.holdoutsDir, 'rsna-pneumonia-detection.csv');
    const ids = [...target.holdouts.get('rsna-pneumonia-detection')!.ids];
    const negatives = `patientId,x,y,width,height,Target\n${ids.map((id) => `${id},,,,,0`).join('\n')}\n`;
    writeFileSync(file, negatives);
    const manifestPath = path.join(target.holdoutsDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      files: Record<string, { rows: number; sha256: string }>;
    };
    manifest.files['rsna-pneumonia-detection'] = {
      ...manifest.files['rsna-pneumonia-detection']!,
      rows: ids.length,
      sha256: createHash('sha256').update(negatives).digest('hex'),
    };
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await generateDatasets(target.holdoutsDir, target.roots, 'replace');
    expect(publicBytes(target.roots, 'rsna-pneumonia')).toEqual(before);
  });
});

/** A Titanic row's fields (names are quoted and hold a comma). */
function splitRow(row: string): string[] {
  return [...row.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!).slice(0, 11);
}

function publicBytes(roots: DataRoots, dataset: string): Record<string, string> {
  const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  return {
    train: hash(path.join(roots.training, dataset, 'stage_2_train_labels.csv')),
    sample: hash(path.join(roots.publicEval, dataset, 'stage_2_sample_submission.csv')),
  };
}
