import { streamCsv } from './read-csv';
import { SubmissionFormatError } from './submission-format-error';
import type { TargetParser } from './targets';

export interface SubmissionFormat<T> {
  idColumn: string;
  targetColumn: string;
  /**
   * Every id of the test set: each must appear exactly once. Null where the ids are not known (intake,
   * before the public test ids are published): every other check still runs.
   */
  ids: ReadonlySet<string> | null;
  parseTarget: TargetParser<T>;
}

export interface ParsedSubmission<T> {
  predictions: Map<string, T>;
  rowCount: number;
}

const MISSING_EXAMPLES = 3;

/**
 * A submission file → one prediction per holdout id, or the first problem found, with its line:
 * header (both columns, any order, nothing else), then each row as it is read (well-formed, known id,
 * not seen before, valid target), then completeness. Reading stops at the first bad row.
 */
export function parseSubmission<T>(bytes: Buffer, format: SubmissionFormat<T>): ParsedSubmission<T> {
  const { header, rows } = streamCsv(bytes);
  const expected = `${format.idColumn},${format.targetColumn}`;
  const names = header.map((name) => name.trim());
  const headerError = (message: string) => new SubmissionFormatError(message, 1);
  if (names.length > 0 && (format.ids?.has(names[0]!) ?? looksLikeData(names))) {
    throw headerError(`The first line must be the header ${expected}; it looks like data`);
  }
  const seenNames = new Set<string>();
  for (const name of names) {
    if (seenNames.has(name)) throw headerError(`Column ${name} appears twice in the header`);
    seenNames.add(name);
  }
  for (const name of names) {
    if (name === format.idColumn || name === format.targetColumn) continue;
    const meant = [format.idColumn, format.targetColumn].find((c) => c.toLowerCase() === name.toLowerCase());
    if (meant) throw headerError(`Column ${JSON.stringify(name)} must be spelled ${meant}`);
    throw headerError(
      name === ''
        ? `The header has an empty column name (expected exactly: ${expected})`
        : `Unexpected column ${JSON.stringify(name)} (expected exactly: ${expected})`,
    );
  }
  for (const column of [format.idColumn, format.targetColumn]) {
    if (!seenNames.has(column)) throw headerError(`The header lacks the column ${column} (expected: ${expected})`);
  }
  const idIndex = names.indexOf(format.idColumn);
  const targetIndex = names.indexOf(format.targetColumn);

  const predictions = new Map<string, T>();
  const firstLine = new Map<string, number>();
  let rowCount = 0;
  for (const { line, fields } of rows) {
    rowCount++;
    const rowError = (detail: string) => new SubmissionFormatError(`Line ${line}: ${detail}`, line);
    const id = fields[idIndex]!.trim();
    if (id === '') throw rowError(`${format.idColumn} is empty`);
    if (format.ids && !format.ids.has(id)) {
      throw rowError(`${format.idColumn} ${JSON.stringify(id)} is not in the test set`);
    }
    const earlier = firstLine.get(id);
    if (earlier !== undefined) {
      throw rowError(`${format.idColumn} ${id} appears again (first on line ${earlier}); submit one row per id`);
    }
    firstLine.set(id, line);
    predictions.set(id, format.parseTarget(fields[targetIndex]!, line, format.targetColumn));
  }
  if (format.ids && predictions.size < format.ids.size) {
    const missing = [...format.ids].filter((id) => !predictions.has(id));
    throw new SubmissionFormatError(
      `${format.ids.size} rows expected, ${predictions.size} found: ${missing.length} ${format.idColumn} ` +
        `value${missing.length === 1 ? ' has' : 's have'} no row, e.g. ${missing.slice(0, MISSING_EXAMPLES).join(', ')}`,
    );
  }
  return { predictions, rowCount };
}

/** A first line of values rather than names: its first field is a number or an id-like UUID. */
function looksLikeData(names: string[]): boolean {
  return /^([+-]?\d+(\.\d+)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(names[0]!);
}
