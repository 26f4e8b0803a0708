import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateHoldouts } from '../src/holdouts/generate-holdouts';
import { type Holdout, loadHoldouts } from '../src/holdouts/holdout-store';
import type { HoldoutSlug } from '../src/holdouts/holdout-formats';
import { scoreSubmission } from '../src/scoring/score-submission';

describe('scoreSubmission on the full-size generated holdouts', () => {
  let holdouts: Map<HoldoutSlug, Holdout>;

  beforeAll(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mf-score-'));
    generateHoldouts(dir);
    holdouts = loadHoldouts(dir);
  });

  const labelsOf = (slug: HoldoutSlug) => {
    const truth = holdouts.get(slug)!.truth;
    if (truth.kind !== 'labels') throw new Error('labels expected');
    return truth.labels;
  };

  it('titanic: the true labels score 1, their opposites 0, all-zero the non-survivor share', () => {
    const truth = labelsOf('titanic-survival');
    const csv = (label: (id: string, truthLabel: string) => string) =>
      Buffer.from(`PassengerId,Survived\n${[...truth].map(([id, l]) => `${id},${label(id, l)}`).join('\n')}\n`);
    const columns = { idColumn: 'PassengerId', targetColumn: 'Survived' };
    const holdout = holdouts.get('titanic-survival')!;
    expect(
      scoreSubmission(
        csv((_id, l) => l),
        holdout,
        columns,
      ).primaryScore,
    ).toBe(1);
    expect(
      scoreSubmission(
        csv((_id, l) => (l === '1' ? '0' : '1')),
        holdout,
        columns,
      ).primaryScore,
    ).toBe(0);
    const zeros = [...truth.values()].filter((l) => l === '0').length;
    const allZero = scoreSubmission(
      csv(() => '0'),
      holdout,
      columns,
    );
    expect(allZero.primaryScore).toBeCloseTo(zeros / 418, 12);
    expect(allZero).toMatchObject({ rowCount: 418, components: { correct: zeros, total: 418 } });
  });

  it('cifar-100: one label per class right scores exactly 1%', () => {
    const truth = labelsOf('cifar-100-classification');
    const rows = [...truth].map(([id, label]) => `${id},${label === '0' ? label : (Number(label) + 1) % 100}`);
    const score = scoreSubmission(
      Buffer.from(`id,label\n${rows.join('\n')}\n`),
      holdouts.get('cifar-100-classification')!,
      {
        idColumn: 'id',
        targetColumn: 'label',
      },
    );
    expect(score.primaryScore).toBeCloseTo(100 / 10_000, 12);
  });

  it('rsna: the truth boxes themselves score 1, no boxes at all 0', () => {
    const holdout = holdouts.get('rsna-pneumonia-detection')!;
    if (holdout.truth.kind !== 'boxes') throw new Error('boxes expected');
    const columns = { idColumn: 'patientId', targetColumn: 'PredictionString' };
    const perfect = [...holdout.truth.boxes].map(
      ([id, boxes]) => `${id},${boxes.map((b) => `0.9 ${b.x} ${b.y} ${b.width} ${b.height}`).join(' ')}`,
    );
    const empty = [...holdout.truth.boxes.keys()].map((id) => `${id},`);
    expect(
      scoreSubmission(Buffer.from(`patientId,PredictionString\n${perfect.join('\n')}\n`), holdout, columns)
        .primaryScore,
    ).toBe(1);
    const nothing = scoreSubmission(Buffer.from(`patientId,PredictionString\n${empty.join('\n')}\n`), holdout, columns);
    expect(nothing.primaryScore).toBe(0);
    expect(nothing.components).toMatchObject({
      images_excluded: expect.any(Number),
      images_scored: expect.any(Number),
    });
  });
});
