import { parseSubmission, type SubmissionFormat } from '../src/scoring/csv/parse-submission';
import { binaryLabel, classLabel0to99, rsnaBoxes } from '../src/scoring/csv/targets';

const titanic: SubmissionFormat<string> = {
  idColumn: 'PassengerId',
  targetColumn: 'Survived',
  ids: new Set(['892', '893', '894']),
  parseTarget: binaryLabel,
};
const cifar: SubmissionFormat<string> = {
  idColumn: 'id',
  targetColumn: 'label',
  ids: new Set(['0', '1']),
  parseTarget: classLabel0to99,
};
const rsna = {
  idColumn: 'patientId',
  targetColumn: 'PredictionString',
  ids: new Set(['p-1', 'p-2']),
  parseTarget: rsnaBoxes,
};

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const good = 'PassengerId,Survived\n892,0\n893,1\n894,0\n';

describe('valid submissions', () => {
  it('reads a plain file into one prediction per id', () => {
    const parsed = parseSubmission(utf8(good), titanic);
    expect(parsed.rowCount).toBe(3);
    expect([...parsed.predictions]).toEqual([
      ['892', '0'],
      ['893', '1'],
      ['894', '0'],
    ]);
  });

  it.each([
    ['a UTF-8 byte-order mark (spreadsheet export)', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(good)])],
    ['CRLF line endings', utf8(good.replace(/\n/g, '\r\n'))],
    ['no final line ending', utf8(good.trimEnd())],
    ['several final line endings', utf8(`${good}\n\r\n`)],
    ['columns in the other order', utf8('Survived,PassengerId\n0,892\n1,893\n0,894\n')],
    ['quoted fields and spaces around values', utf8('"PassengerId", Survived\n"892",0\n 893 , 1.0\n894,"0"\n')],
  ])('accepts %s', (_label, bytes) => {
    expect(parseSubmission(bytes, titanic).predictions.get('893')).toBe('1');
  });

  it('normalizes CIFAR labels and parses RSNA boxes, empty meaning none', () => {
    expect([...parseSubmission(utf8('id,label\n0,7\n1,99.0\n'), cifar).predictions.values()]).toEqual(['7', '99']);
    const boxes = parseSubmission(utf8('patientId,PredictionString\np-1,0.9 10 20 30 40 0.5 1 2 3 4\np-2,\n'), rsna);
    expect(boxes.predictions.get('p-1')).toEqual([
      { confidence: 0.9, x: 10, y: 20, width: 30, height: 40 },
      { confidence: 0.5, x: 1, y: 2, width: 3, height: 4 },
    ]);
    expect(boxes.predictions.get('p-2')).toEqual([]);
  });
});

/** Each malformed file and the exact message its author sees. */
const MALFORMED: Array<[string, Buffer, SubmissionFormat<any>, string]> = [
  ['empty file', Buffer.alloc(0), titanic, 'The file is empty'],
  ['only blank lines', utf8('\n\r\n\n'), titanic, 'The file has no header and no rows'],
  [
    'UTF-16 LE with BOM',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]),
    titanic,
    'The file is UTF-16 encoded; save it as UTF-8 CSV',
  ],
  [
    'not UTF-8 (Latin-1 byte)',
    Buffer.concat([utf8('PassengerId,Survived\n892,0\n893,'), Buffer.from([0xe9]), utf8('\n894,0\n')]),
    titanic,
    'The file is not valid UTF-8 (first invalid byte on line 3); save it as UTF-8 CSV',
  ],
  [
    'binary content with NUL bytes',
    utf8('PassengerId,Survived\n892,0\u0000\n'),
    titanic,
    'Line 2 contains a NUL byte; this is not a text CSV file',
  ],
  [
    'bare CR line endings',
    utf8('PassengerId,Survived\r892,0\r893,1\r894,0'),
    titanic,
    'Line 1 ends with a bare carriage return (old Mac line ending); use LF or CRLF line endings',
  ],
  [
    'header missing: data first',
    utf8('892,0\n893,1\n894,0\n'),
    titanic,
    'The first line must be the header PassengerId,Survived; it looks like data',
  ],
  [
    'missing target column',
    utf8('PassengerId\n892\n893\n894\n'),
    titanic,
    'The header lacks the column Survived (expected: PassengerId,Survived)',
  ],
  [
    'missing id column',
    utf8('Survived\n0\n1\n0\n'),
    titanic,
    'The header lacks the column PassengerId (expected: PassengerId,Survived)',
  ],
  [
    'extra header column',
    utf8('PassengerId,Survived,Name\n892,0,a\n893,1,b\n894,0,c\n'),
    titanic,
    'Unexpected column "Name" (expected exactly: PassengerId,Survived)',
  ],
  [
    'wrong case in a column name',
    utf8('passengerid,Survived\n892,0\n'),
    titanic,
    'Column "passengerid" must be spelled PassengerId',
  ],
  [
    'duplicate header column',
    utf8('PassengerId,PassengerId\n892,892\n'),
    titanic,
    'Column PassengerId appears twice in the header',
  ],
  [
    'empty header name',
    utf8('PassengerId,Survived,\n892,0,\n'),
    titanic,
    'The header has an empty column name (expected exactly: PassengerId,Survived)',
  ],
  [
    'ragged row: too few fields',
    utf8('PassengerId,Survived\n892,0\n893\n894,0\n'),
    titanic,
    'Line 3 has 1 field; the header has 2',
  ],
  [
    'ragged row: too many fields',
    utf8('PassengerId,Survived\n892,0\n893,1,1\n894,0\n'),
    titanic,
    'Line 3 has 3 fields; the header has 2',
  ],
  ['blank line in the middle', utf8('PassengerId,Survived\n892,0\n\n893,1\n894,0\n'), titanic, 'Line 3 is empty'],
  [
    'unterminated quote',
    utf8('PassengerId,Survived\n892,"0\n893,1\n'),
    titanic,
    'Line 2: a quoted field runs across lines',
  ],
  [
    'unterminated quote at the end',
    utf8('PassengerId,Survived\n892,0\n893,"1'),
    titanic,
    'Line 3: a quoted field is not closed',
  ],
  [
    'stray quote inside a field',
    utf8('PassengerId,Survived\n89"2,0\n'),
    titanic,
    'Line 2: a quote inside an unquoted field (quote the whole field and double the quote)',
  ],
  [
    'text after a closing quote',
    utf8('PassengerId,Survived\n"892"x,0\n'),
    titanic,
    'Line 2: text after the closing quote of a field',
  ],
  [
    'duplicate id',
    utf8('PassengerId,Survived\n892,0\n893,1\n892,1\n894,0\n'),
    titanic,
    'Line 4: PassengerId 892 appears again (first on line 2); submit one row per id',
  ],
  [
    'unknown id',
    utf8('PassengerId,Survived\n892,0\n893,1\n2000,0\n'),
    titanic,
    'Line 4: PassengerId "2000" is not in the test set',
  ],
  [
    'id with leading zero',
    utf8('PassengerId,Survived\n0892,0\n'),
    titanic,
    'Line 2: PassengerId "0892" is not in the test set',
  ],
  ['empty id', utf8('PassengerId,Survived\n,0\n'), titanic, 'Line 2: PassengerId is empty'],
  [
    'missing ids',
    utf8('PassengerId,Survived\n893,1\n'),
    titanic,
    '3 rows expected, 1 found: 2 PassengerId values have no row, e.g. 892, 894',
  ],
  [
    'header only',
    utf8('PassengerId,Survived\n'),
    titanic,
    '3 rows expected, 0 found: 3 PassengerId values have no row, e.g. 892, 893, 894',
  ],
  ['NaN target', utf8('PassengerId,Survived\n892,NaN\n'), titanic, 'Line 2: Survived is NaN; it must be 0 or 1'],
  ['empty target', utf8('PassengerId,Survived\n892,\n'), titanic, 'Line 2: Survived is empty; it must be 0 or 1'],
  [
    'word instead of a label',
    utf8('PassengerId,Survived\n892,yes\n'),
    titanic,
    'Line 2: Survived is "yes"; it must be 0 or 1',
  ],
  [
    'probability instead of a label',
    utf8('PassengerId,Survived\n892,0.73\n'),
    titanic,
    'Line 2: Survived is "0.73"; it must be 0 or 1',
  ],
  [
    'class out of range',
    utf8('id,label\n0,100\n'),
    cifar,
    'Line 2: label is "100"; it must be an integer from 0 to 99',
  ],
  ['negative class', utf8('id,label\n0,-1\n'), cifar, 'Line 2: label is "-1"; it must be an integer from 0 to 99'],
  ['fractional class', utf8('id,label\n0,3.5\n'), cifar, 'Line 2: label is "3.5"; it must be an integer from 0 to 99'],
  [
    'box with four numbers',
    utf8('patientId,PredictionString\np-1,0.9 10 20 30\n'),
    rsna,
    'Line 2: PredictionString has 4 numbers; it needs groups of 5 (confidence x y width height)',
  ],
  [
    'box with a word',
    utf8('patientId,PredictionString\np-1,0.9 10 twenty 30 40\n'),
    rsna,
    'Line 2: PredictionString box 1 has "twenty" where a number belongs',
  ],
  [
    'box with NaN',
    utf8('patientId,PredictionString\np-1,0.5 1 1 1 1 0.9 NaN 1 1 1\n'),
    rsna,
    'Line 2: PredictionString box 2 has NaN where a number belongs',
  ],
  [
    'box with an infinite number',
    utf8('patientId,PredictionString\np-1,0.9 1e999 1 1 1\n'),
    rsna,
    'Line 2: PredictionString box 1 has a number out of range',
  ],
  [
    'confidence above 1',
    utf8('patientId,PredictionString\np-1,1.5 1 1 1 1\n'),
    rsna,
    'Line 2: PredictionString box 1 has confidence 1.5; it must be between 0 and 1',
  ],
  [
    'negative coordinate',
    utf8('patientId,PredictionString\np-1,0.5 -3 1 1 1\n'),
    rsna,
    'Line 2: PredictionString box 1 starts at a negative coordinate (-3, 1)',
  ],
  [
    'zero width',
    utf8('patientId,PredictionString\np-1,0.5 1 1 0 4\n'),
    rsna,
    'Line 2: PredictionString box 1 has size 0 x 4; width and height must be positive',
  ],
];

describe('malformed submissions: a catalogue of specific messages', () => {
  it('has at least 30 cases', () => expect(MALFORMED.length).toBeGreaterThanOrEqual(30));

  it.each(MALFORMED)('%s', (_label, bytes, format, message) => {
    expect(() => parseSubmission(bytes, format)).toThrow(message);
    try {
      parseSubmission(bytes, format);
    } catch (error) {
      expect((error as Error).name).toBe('SubmissionFormatError');
      expect((error as Error).message).toBe(message);
    }
  });
});
