import { SubmissionFormatError } from './submission-format-error';

export interface CsvRow {
  /** The line the row starts on. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

/** A CSV file read lazily: the header at once, then each row as it is asked for, checked as it comes. */
export interface CsvStream {
  header: string[];
  rows: Iterable<CsvRow>;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const [COMMA, LF, CR, QUOTE] = [44, 10, 13, 34];
/** How far into a file binary content is looked for (a binary file shows itself in its first bytes). */
const SNIFF_BYTES = 1024;

/** Formats people upload by mistake, by their first bytes. */
const NOT_CSV_SIGNATURES: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an Excel .xlsx workbook or a zip file)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an Excel .xls workbook'],
  [[0x1f, 0x8b], 'gzip-compressed'],
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 'a NumPy .npy array'],
];

/**
 * Reads a submission as strict RFC 4180 CSV: UTF-8 (a leading UTF-8 byte-order mark is dropped, as
 * spreadsheet programs write one), LF or CRLF line endings, fields optionally in double quotes with `""`
 * for a quote. Anything else is refused with the line it happens on rather than guessed at. Rows are
 * read one at a time, so a caller that stops at the first bad row never reads the rest.
 */
export function streamCsv(bytes: Buffer): CsvStream {
  if (bytes.length === 0) throw new SubmissionFormatError('The file is empty');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SubmissionFormatError('The file is UTF-16 encoded; save it as UTF-8 CSV');
  }
  refuseBinary(bytes);
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
  const text = decodeUtf8(bytes.subarray(start));
  if (text.trim() === '') throw new SubmissionFormatError('The file has no header and no rows');
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = lineAt(text, nul);
    throw new SubmissionFormatError(`Line ${line} contains a NUL byte; this is not a text CSV file`, line);
  }
  const records = splitRecords(text);
  const header = records.next().value!.fields;
  return { header, rows: checkedRows(records, header.length) };
}

/** The whole file at once (for files MedForge itself publishes, and tests). */
export function readCsv(bytes: Buffer): CsvTable {
  const { header, rows } = streamCsv(bytes);
  return { header, rows: [...rows] };
}

function* checkedRows(records: Generator<CsvRecord>, columns: number): Generator<CsvRow> {
  for (const record of records) {
    if (record.fields.length === 1 && record.fields[0] === '' && !record.quoted) {
      throw new SubmissionFormatError(`Line ${record.line} is empty`, record.line);
    }
    if (record.fields.length !== columns) {
      throw new SubmissionFormatError(
        `Line ${record.line} has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}; ` +
          `the header has ${columns}`,
        record.line,
      );
    }
    yield { line: record.line, fields: record.fields };
  }
}

/** A spreadsheet, archive or image sent instead of a CSV: said so, rather than read as odd text. */
function refuseBinary(bytes: Buffer): void {
  for (const [signature, what] of NOT_CSV_SIGNATURES) {
    if (signature.every((b, i) => bytes[i] === b)) {
      throw new SubmissionFormatError(`The file is ${what}, not a CSV file; export or save it as CSV (UTF-8)`);
    }
  }
  const head = bytes.subarray(0, SNIFF_BYTES);
  // Control characters other than tab, line feed and carriage return (and NUL, refused with its line below).
  const control = head.findIndex((b) => b !== 0 && b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (control >= 0) {
    throw new SubmissionFormatError(
      `The file holds binary data (byte 0x${head[control]!.toString(16).padStart(2, '0')} at offset ${control}), ` +
        'not a CSV file; export or save it as CSV (UTF-8)',
    );
  }
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const line = lineAt(lenient, Math.max(lenient.indexOf('\uFFFD'), 0));
    throw new SubmissionFormatError(
      `The file is not valid UTF-8 (first invalid byte on line ${line}); save it as UTF-8 CSV`,
      line,
    );
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

interface CsvRecord {
  line: number;
  fields: string[];
  /** Whether any field was quoted (a quoted empty field is a value, not an empty line). */
  quoted: boolean;
}

/** One pass over the text, a record at a time: records, fields and quoting, with the line each starts on. */
function* splitRecords(text: string): Generator<CsvRecord> {
  let line = 1;
  let i = 0;
  // Line endings at the very end do not start more (empty) records.
  const end = text.replace(/[\r\n]+$/, '').length;
  const fail = (at: number, detail: string) => new SubmissionFormatError(`Line ${at}${detail}`, at);
  for (;;) {
    const record: CsvRecord = { line, fields: [], quoted: false };
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        record.quoted = true;
        i++;
        for (;;) {
          if (i >= end) throw fail(record.line, ': a quoted field is not closed');
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || c === '\r') throw fail(record.line, ': a quoted field runs across lines');
          field += c;
          i++;
        }
        if (i < end && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw fail(record.line, ': text after the closing quote of a field');
        }
      } else {
        const fieldStart = i;
        while (i < end) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw fail(record.line, ': a quote inside an unquoted field (quote the whole field and double the quote)');
          }
          i++;
        }
        field = text.slice(fieldStart, i);
      }
      record.fields.push(field);
      if (i < end && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    yield record;
    if (i >= end) return;
    if (text[i] === '\r') {
      if (text[i + 1] !== '\n') {
        throw fail(line, ' ends with a bare carriage return (old Mac line ending); use LF or CRLF line endings');
      }
      i++;
    }
    i++; // the \n
    line++;
  }
}
