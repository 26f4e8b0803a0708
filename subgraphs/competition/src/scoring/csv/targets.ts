import type { ScoredBox } from '../metrics/rsna-map';
import { SubmissionFormatError } from './submission-format-error';

/** Turns one target cell into the value the metric compares, or says precisely why it cannot. */
export type TargetParser<T> = (raw: string, line: number, column: string) => T;

const describe = (raw: string) => (raw === '' ? 'empty' : /^[+-]?nan$/i.test(raw) ? 'NaN' : JSON.stringify(raw));

/** 0 or 1 (also written 0.0 / 1.0), as the canonical strings '0' and '1'. */
export const binaryLabel: TargetParser<string> = (raw, line, column) => {
  const value = raw.trim();
  const match = /^([01])(\.0+)?$/.exec(value);
  if (!match) throw new SubmissionFormatError(`Line ${line}: ${column} is ${describe(value)}; it must be 0 or 1`);
  return match[1]!;
};

/** A class index 0..99 (also written 7.0), as its canonical decimal string. */
export const classLabel0to99: TargetParser<string> = (raw, line, column) => {
  const value = raw.trim();
  const match = /^(\d+)(\.0+)?$/.exec(value);
  const label = match ? Number(match[1]) : NaN;
  if (!match || label > 99) {
    throw new SubmissionFormatError(
      `Line ${line}: ${column} is ${describe(value)}; it must be an integer from 0 to 99`,
    );
  }
  return String(label);
};

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A rule of the RSNA competition: at most this many boxes per image. Real entries predict a handful;
 * without a limit one image of hundreds of thousands of boxes holds a scoring thread for seconds.
 */
export const RSNA_MAX_BOXES_PER_IMAGE = 100;

/**
 * `confidence x y width height` groups separated by spaces; empty means no boxes. Confidence in [0, 1],
 * x and y >= 0, width and height > 0, all finite decimal numbers.
 */
export const rsnaBoxes: TargetParser<ScoredBox[]> = (raw, line, column) => {
  const tokens = raw.trim().split(/\s+/).filter(Boolean);
  if (tokens.length % 5 !== 0) {
    throw new SubmissionFormatError(
      `Line ${line}: ${column} has ${tokens.length} numbers; it needs groups of 5 (confidence x y width height)`,
    );
  }
  if (tokens.length / 5 > RSNA_MAX_BOXES_PER_IMAGE) {
    throw new SubmissionFormatError(
      `Line ${line}: ${column} has ${tokens.length / 5} boxes; at most ${RSNA_MAX_BOXES_PER_IMAGE} per image are allowed`,
    );
  }
  const boxes: ScoredBox[] = [];
  for (let g = 0; g < tokens.length; g += 5) {
    const box = tokens.slice(g, g + 5).map((token) => {
      if (!NUMBER.test(token)) {
        throw new SubmissionFormatError(
          `Line ${line}: ${column} box ${g / 5 + 1} has ${describe(token)} where a number belongs`,
        );
      }
      return Number(token);
    });
    const [confidence, x, y, width, height] = box as [number, number, number, number, number];
    const where = `Line ${line}: ${column} box ${g / 5 + 1}`;
    if (!box.every(Number.isFinite)) throw new SubmissionFormatError(`${where} has a number out of range`);
    if (confidence < 0 || confidence > 1) {
      throw new SubmissionFormatError(`${where} has confidence ${confidence}; it must be between 0 and 1`);
    }
    if (x < 0 || y < 0) throw new SubmissionFormatError(`${where} starts at a negative coordinate (${x}, ${y})`);
    if (width <= 0 || height <= 0) {
      throw new SubmissionFormatError(`${where} has size ${width} x ${height}; width and height must be positive`);
    }
    boxes.push({ confidence, x, y, width, height });
  }
  return boxes;
};
