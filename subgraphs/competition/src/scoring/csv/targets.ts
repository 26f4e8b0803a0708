import type { ScoredBox } from '../metrics/rsna-map';
import { SubmissionFormatError } from './submission-format-error';

/** Turns one target cell into the value the metric compares, or says precisely why it cannot. */
export type TargetParser<T> = (raw: string, line: number, column: string) => T;

const rowError = (line: number, detail: string) => new SubmissionFormatError(`Line ${line}: ${detail}`, line);

const describe = (raw: string) => (raw === '' ? 'empty' : /^[+-]?nan$/i.test(raw) ? 'NaN' : JSON.stringify(raw));

/** 0 or 1 (also written 0.0 / 1.0), as the canonical strings '0' and '1'. */
export const binaryLabel: TargetParser<string> = (raw, line, column) => {
  const value = raw.trim();
  const match = /^([01])(\.0+)?$/.exec(value);
  if (!match) throw rowError(line, `${column} is ${describe(value)}; it must be 0 or 1`);
  return match[1]!;
};

/** A class index 0..99 (also written 7.0), as its canonical decimal string. */
export const classLabel0to99: TargetParser<string> = (raw, line, column) => {
  const value = raw.trim();
  const match = /^(\d+)(\.0+)?$/.exec(value);
  const label = match ? Number(match[1]) : NaN;
  if (!match || label > 99) {
    throw rowError(line, `${column} is ${describe(value)}; it must be an integer from 0 to 99`);
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
  // Counted before anything is split: a line of 300,000 boxes is refused without making 1.5 million strings.
  const numbers = countTokens(raw, 5 * RSNA_MAX_BOXES_PER_IMAGE + 1);
  if (numbers > 5 * RSNA_MAX_BOXES_PER_IMAGE) {
    throw rowError(
      line,
      `${column} has more than ${RSNA_MAX_BOXES_PER_IMAGE} boxes; at most ${RSNA_MAX_BOXES_PER_IMAGE} per image are allowed`,
    );
  }
  if (numbers % 5 !== 0) {
    throw rowError(line, `${column} has ${numbers} numbers; it needs groups of 5 (confidence x y width height)`);
  }
  const tokens = raw.trim().split(/\s+/).filter(Boolean);
  const boxes: ScoredBox[] = [];
  for (let g = 0; g < tokens.length; g += 5) {
    const where = `${column} box ${g / 5 + 1}`;
    const box = tokens.slice(g, g + 5).map((token) => {
      if (!NUMBER.test(token)) throw rowError(line, `${where} has ${describe(token)} where a number belongs`);
      return Number(token);
    });
    const [confidence, x, y, width, height] = box as [number, number, number, number, number];
    if (!box.every(Number.isFinite)) throw rowError(line, `${where} has a number out of range`);
    if (confidence < 0 || confidence > 1) {
      throw rowError(line, `${where} has confidence ${confidence}; it must be between 0 and 1`);
    }
    if (x < 0 || y < 0) throw rowError(line, `${where} starts at a negative coordinate (${x}, ${y})`);
    if (width <= 0 || height <= 0) {
      throw rowError(line, `${where} has size ${width} x ${height}; width and height must be positive`);
    }
    boxes.push({ confidence, x, y, width, height });
  }
  return boxes;
};

/** How many tokens `text` holds between whitespace (as `\s` matches it), counting no further than `cap`. */
function countTokens(text: string, cap: number): number {
  let count = 0;
  let inToken = false;
  for (let i = 0; i < text.length && count < cap; i++) {
    const c = text.charCodeAt(i);
    const space = c < 128 ? c === 32 || (c >= 9 && c <= 13) : WHITESPACE.test(text[i]!);
    if (!space && !inToken) count++;
    inToken = !space;
  }
  return count;
}

const WHITESPACE = /\s/;
