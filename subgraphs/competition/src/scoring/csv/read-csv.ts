import { SubmissionFormatError } from './submission-format-error';

export interface CsvTable {
  header: string[];
  /** Data rows with the line number each starts on. */
  rows: Array<{ line: number; fields: string[] }>;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const [COMMA, LF, CR, QUOTE] = [44, 10, 13, 34];

/**
 * Reads a submission as strict RFC 4180 CSV: UTF-8 (a leading UTF-8 byte-order mark is dropped, as
 * spreadsheet programs write one), LF or CRLF line endings, fields optionally in double quotes with `""`
 * for a quote. Anything else is refused with the line it happens on rather than guessed at.
 */
export function readCsv(bytes: Buffer): CsvTable {
  if (bytes.length === 0) throw new SubmissionFormatError('The file is empty');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SubmissionFormatError('The file is UTF-16 encoded; save it as UTF-8 CSV');
  }
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
  const text = decodeUtf8(bytes.subarray(start));
  if (text.trim() === '') throw new SubmissionFormatError('The file has no header and no rows');
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    throw new SubmissionFormatError(`Line ${lineAt(text, nul)} contains a NUL byte; this is not a text CSV file`);
  }

  const records = splitRecords(text);
  const [headerRecord, ...dataRecords] = records;
  const header = headerRecord!.fields;
  const rows: CsvTable['rows'] = [];
  for (const record of dataRecords) {
    if (record.fields.length === 1 && record.fields[0] === '' && !record.quoted) {
      throw new SubmissionFormatError(`Line ${record.line} is empty`);
    }
    if (record.fields.length !== header.length) {
      throw new SubmissionFormatError(
        `Line ${record.line} has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}; ` +
          `the header has ${header.length}`,
      );
    }
    rows.push({ line: record.line, fields: record.fields });
  }
  return { header, rows };
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    throw new SubmissionFormatError(
      `The file is not valid UTF-8 (first invalid byte on line ${lineAt(lenient, Math.max(bad, 0))}); save it as UTF-8 CSV`,
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

/** One pass over the text: records, fields and quoting, with the line each record starts on. */
function splitRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  // Line endings at the very end do not start more (empty) records.
  const end = text.replace(/[\r\n]+$/, '').length;
  for (;;) {
    const record: CsvRecord = { line, fields: [], quoted: false };
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        record.quoted = true;
        i++;
        for (;;) {
          if (i >= end) throw new SubmissionFormatError(`Line ${record.line}: a quoted field is not closed`);
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
          if (c === '\n' || c === '\r') {
            throw new SubmissionFormatError(`Line ${record.line}: a quoted field runs across lines`);
          }
          field += c;
          i++;
        }
        if (i < end && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new SubmissionFormatError(`Line ${record.line}: text after the closing quote of a field`);
        }
      } else {
        const fieldStart = i;
        while (i < end) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw new SubmissionFormatError(
              `Line ${record.line}: a quote inside an unquoted field (quote the whole field and double the quote)`,
            );
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
    records.push(record);
    if (i >= end) return records;
    if (text[i] === '\r') {
      if (text[i + 1] !== '\n') {
        throw new SubmissionFormatError(
          `Line ${line} ends with a bare carriage return (old Mac line ending); use LF or CRLF line endings`,
        );
      }
      i++;
    }
    i++; // the \n
    line++;
  }
}
