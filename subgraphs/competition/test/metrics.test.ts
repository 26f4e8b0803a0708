import { accuracy } from '../src/scoring/metrics/accuracy';
import {
  type Box,
  imagePrecision,
  iou,
  RSNA_IOU_THRESHOLDS,
  rsnaMeanAveragePrecision,
  type ScoredBox,
} from '../src/scoring/metrics/rsna-map';

const box = (x: number, y: number, width: number, height: number): Box => ({ x, y, width, height });
const scored = (confidence: number, x: number, y: number, width: number, height: number): ScoredBox => ({
  confidence,
  ...box(x, y, width, height),
});

describe('accuracy', () => {
  it('counts exact label matches over every truth row (titanic)', () => {
    const truth = new Map([
      ['892', '0'],
      ['893', '1'],
      ['894', '0'],
      ['895', '1'],
    ]);
    const predicted = new Map([
      ['892', '0'],
      ['893', '0'],
      ['894', '0'],
      ['895', '1'],
    ]);
    expect(accuracy(truth, predicted)).toEqual({ score: 0.75, components: { correct: 3, total: 4 } });
  });

  it('compares the 100 CIFAR classes as labels, not numbers near each other', () => {
    const truth = new Map([
      ['0', '99'],
      ['1', '98'],
      ['2', '0'],
    ]);
    const predicted = new Map([
      ['0', '99'],
      ['1', '97'],
      ['2', '0'],
    ]);
    expect(accuracy(truth, predicted).score).toBeCloseTo(2 / 3, 12);
  });

  it('refuses an empty truth set', () => {
    expect(() => accuracy(new Map(), new Map())).toThrow(/at least one/);
  });
});

describe('iou', () => {
  it('is intersection over union, 0 for touching or disjoint boxes', () => {
    expect(iou(box(0, 0, 10, 10), box(0, 0, 10, 10))).toBe(1);
    expect(iou(box(0, 0, 10, 10), box(5, 0, 10, 10))).toBeCloseTo(50 / 150, 12);
    expect(iou(box(0, 0, 10, 10), box(0, 0, 10, 5))).toBe(0.5);
    expect(iou(box(0, 0, 10, 10), box(10, 0, 10, 10))).toBe(0);
    expect(iou(box(0, 0, 10, 10), box(20, 20, 5, 5))).toBe(0);
  });
});

describe('imagePrecision (TP / (TP + FP + FN) at one threshold)', () => {
  it('treats an IoU exactly at the threshold as a miss there and a hit below it', () => {
    const truth = [box(0, 0, 10, 10)];
    const prediction = [scored(0.9, 0, 0, 10, 5)]; // IoU exactly 0.5
    expect(imagePrecision(truth, prediction, 0.5)).toBe(0); // FP 1 + FN 1
    expect(imagePrecision(truth, prediction, 0.45)).toBe(1);
  });

  it('matches by descending confidence: the confident wrong box cannot steal a later hit', () => {
    const truth = [box(0, 0, 10, 10)];
    const predictions = [scored(0.2, 0, 0, 10, 10), scored(0.9, 1, 1, 10, 10)];
    // 0.9 box: IoU 81/119 = 0.68 with the truth → hit at 0.5; the exact 0.2 box is then a FP.
    expect(imagePrecision(truth, predictions, 0.5)).toBeCloseTo(1 / 2, 12);
    // At 0.7 the 0.9 box misses, so the exact box (IoU 1) takes the truth: still TP 1, FP 1.
    expect(imagePrecision(truth, predictions, 0.7)).toBeCloseTo(1 / 2, 12);
  });

  it('counts duplicate detections of one object as false positives', () => {
    const truth = [box(0, 0, 10, 10), box(50, 50, 10, 10)];
    const predictions = [scored(0.9, 0, 0, 10, 10), scored(0.8, 0, 0, 10, 10)];
    // TP 1, FP 1, FN 1.
    expect(imagePrecision(truth, predictions, 0.5)).toBeCloseTo(1 / 3, 12);
  });

  it('scores 0 for predictions without truth, and for truth without predictions', () => {
    expect(imagePrecision([], [scored(0.5, 0, 0, 5, 5)], 0.4)).toBe(0);
    expect(imagePrecision([box(0, 0, 5, 5)], [], 0.4)).toBe(0);
  });
});

describe('rsnaMeanAveragePrecision', () => {
  it('uses the eight thresholds 0.40 … 0.75, written out', () => {
    expect([...RSNA_IOU_THRESHOLDS]).toEqual([0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]);
  });

  it('averages over thresholds, then over images, leaving out images with nothing in them', () => {
    const truth = new Map<string, Box[]>([
      ['perfect', [box(0, 0, 10, 10)]],
      ['half', [box(0, 0, 10, 10)]], // predicted with IoU exactly 0.5
      ['empty-and-quiet', []], // excluded
      ['empty-but-predicted', []], // 0
      ['missed', [box(0, 0, 10, 10)]], // 0
    ]);
    const predictions = new Map<string, ScoredBox[]>([
      ['perfect', [scored(0.9, 0, 0, 10, 10)]],
      ['half', [scored(0.9, 0, 0, 10, 5)]],
      ['empty-and-quiet', []],
      ['empty-but-predicted', [scored(0.3, 4, 4, 8, 8)]],
    ]);
    const result = rsnaMeanAveragePrecision(truth, predictions);
    // 'half' hits at 0.40 and 0.45 only: 2 of 8 thresholds → 0.25.
    // Images scored: perfect 1, half 0.25, empty-but-predicted 0, missed 0 → (1 + 0.25) / 4.
    expect(result.score).toBeCloseTo(1.25 / 4, 12);
    expect(result.components.images_scored).toBe(4);
    expect(result.components.images_excluded).toBe(1);
    expect(result.components.per_threshold['0.40']).toBeCloseTo(2 / 4, 12);
    expect(result.components.per_threshold['0.50']).toBeCloseTo(1 / 4, 12);
  });

  it('hand-computed image with two objects and three detections', () => {
    const truth = new Map<string, Box[]>([['p1', [box(0, 0, 100, 100), box(200, 200, 50, 50)]]]);
    const predictions = new Map<string, ScoredBox[]>([
      [
        'p1',
        [
          scored(0.95, 10, 0, 100, 100), // IoU 9000/11000 = 0.818 with the first object
          scored(0.9, 200, 200, 50, 30), // IoU 1500/2500 = 0.6 with the second
          scored(0.1, 400, 400, 10, 10), // nothing there
        ],
      ],
    ]);
    // thresholds < 0.6 (0.40, 0.45, 0.50, 0.55): TP 2, FP 1, FN 0 → 2/3
    // thresholds 0.60 … 0.75 (0.6 is not > 0.6): TP 1, FP 2, FN 1 → 1/4
    const expected = (4 * (2 / 3) + 4 * (1 / 4)) / 8;
    expect(rsnaMeanAveragePrecision(truth, predictions).score).toBeCloseTo(expected, 12);
  });

  it('scores 1 when every image is empty and nothing was predicted', () => {
    const result = rsnaMeanAveragePrecision(new Map([['a', []]]), new Map());
    expect(result.score).toBe(1);
    expect(result.components).toMatchObject({ images_scored: 0, images_excluded: 1 });
  });
});
