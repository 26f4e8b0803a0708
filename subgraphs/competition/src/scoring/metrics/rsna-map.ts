/** An axis-aligned box in pixels: top-left corner, width and height (the RSNA challenge's format). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ScoredBox extends Box {
  confidence: number;
}

/**
 * The RSNA Pneumonia Detection thresholds, written out rather than accumulated in floating point
 * (0.4 + 5 * 0.05 is not 0.65).
 */
export const RSNA_IOU_THRESHOLDS = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75] as const;

export function iou(a: Box, b: Box): number {
  const overlapWidth = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const overlapHeight = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (overlapWidth <= 0 || overlapHeight <= 0) return 0;
  const intersection = overlapWidth * overlapHeight;
  return intersection / (a.width * a.height + b.width * b.height - intersection);
}

/**
 * TP / (TP + FP + FN) of one image at one threshold. Predictions are taken by descending confidence
 * (ties keep submission order); each takes the still-unmatched truth box it overlaps most, and is a hit
 * only if that IoU is strictly greater than the threshold — the challenge's "greater than", so an IoU
 * exactly at a threshold misses at that threshold and hits at the ones below it.
 */
export function imagePrecision(truth: readonly Box[], predictions: readonly ScoredBox[], threshold: number): number {
  const ordered = predictions
    .map((box, order) => ({ box, order }))
    .sort((a, b) => b.box.confidence - a.box.confidence || a.order - b.order);
  const matched = new Array<boolean>(truth.length).fill(false);
  let truePositives = 0;
  for (const { box } of ordered) {
    let best = -1;
    let bestIou = threshold;
    truth.forEach((candidate, index) => {
      if (matched[index]) return;
      const overlap = iou(box, candidate);
      if (overlap > bestIou) {
        best = index;
        bestIou = overlap;
      }
    });
    if (best >= 0) {
      matched[best] = true;
      truePositives++;
    }
  }
  const falsePositives = predictions.length - truePositives;
  const falseNegatives = truth.length - truePositives;
  return truePositives / (truePositives + falsePositives + falseNegatives);
}

export interface MeanAveragePrecisionResult {
  score: number;
  components: {
    images_scored: number;
    /** Images with neither truth nor predictions: nothing to get right or wrong, left out of the mean. */
    images_excluded: number;
    /** Mean over scored images at each threshold. */
    per_threshold: Record<string, number>;
  };
}

/**
 * The RSNA challenge metric: the mean over images of the mean over the eight IoU thresholds of
 * TP / (TP + FP + FN). An image without truth boxes but with predictions scores 0; one with truth but
 * no predictions scores 0; one with neither is excluded. If every image is excluded, nothing was there
 * and nothing was predicted: the score is 1.
 */
export function rsnaMeanAveragePrecision(
  truth: ReadonlyMap<string, readonly Box[]>,
  predictions: ReadonlyMap<string, readonly ScoredBox[]>,
): MeanAveragePrecisionResult {
  const sums = RSNA_IOU_THRESHOLDS.map(() => 0);
  let scored = 0;
  let excluded = 0;
  for (const [image, boxes] of truth) {
    const predicted = predictions.get(image) ?? [];
    if (boxes.length === 0 && predicted.length === 0) {
      excluded++;
      continue;
    }
    scored++;
    RSNA_IOU_THRESHOLDS.forEach((threshold, index) => {
      sums[index]! += imagePrecision(boxes, predicted, threshold);
    });
  }
  const perThreshold = Object.fromEntries(
    RSNA_IOU_THRESHOLDS.map((threshold, index) => [threshold.toFixed(2), scored ? sums[index]! / scored : 1]),
  );
  const score = scored ? sums.reduce((total, sum) => total + sum, 0) / (scored * RSNA_IOU_THRESHOLDS.length) : 1;
  return { score, components: { images_scored: scored, images_excluded: excluded, per_threshold: perThreshold } };
}
