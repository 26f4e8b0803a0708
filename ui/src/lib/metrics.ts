/** How the console names each competition metric. */
export const METRIC_LABELS: Record<string, string> = { ACCURACY: 'Accuracy', MAP_IOU: 'mAP @ IoU 0.40–0.75' };
