// The CSV reader against papaparse on valid CSV: generated files (seeded) with quoted fields,
// doubled quotes, line breaks inside quotes, CRLF, a BOM and the four delimiters, fed to the
// reader in pieces of any size, give the same rows as Papa.parse on the whole string.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvReader } from '../../../../src/core/corpus/csv';
import type { RowSink } from '../../../../src/core/corpus/rowSink';
import { Utf8Decoder } from '../../../../src/core/corpus/utf8';

interface Generated {
  text: string;
  delimiter: string;
  newline: '\n' | '\r\n';
}

/** A field's text: delimiters, quotes, both line breaks, spaces, letters and wider characters. */
const fieldText = fc
  .array(
    fc.constantFrom(
      'a',
      'Z',
      '7',
      ' ',
      ',',
      ';',
      '\t',
      '|',
      '"',
      '\n',
      '\r\n',
      'é',
      '数',
      '🙂',
      'x y',
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** RFC 4180 writing: quoted when it must be (or when `quote` says so), quotes doubled. */
function writeField(value: string, delimiter: string, quote: boolean): string {
  const must = value.includes(delimiter) || /["\r\n]/.test(value);
  return must || quote ? `"${value.replaceAll('"', '""')}"` : value;
}

const validCsv: fc.Arbitrary<Generated> = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    newline: fc.constantFrom('\n' as const, '\r\n' as const),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
    seedRows: fc.array(
      fc.record({
        fields: fc.array(fc.tuple(fieldText, fc.boolean()), { minLength: 5, maxLength: 5 }),
        blankBefore: fc.boolean(),
      }),
      { maxLength: 25 },
    ),
  })
  .map(({ columns, delimiter, newline, bom, finalNewline, seedRows }) => {
    const header = Array.from({ length: columns }, (_, k) =>
      writeField(k % 2 === 0 ? `col${k}` : `col${k} "quoted"${delimiter}x`, delimiter, false),
    ).join(delimiter);
    const lines = [header];
    for (const row of seedRows) {
      if (row.blankBefore && lines.length % 3 === 0) lines.push('');
      lines.push(
        row.fields
          .slice(0, columns)
          .map(([value, quote]) => writeField(value, delimiter, quote))
          .join(delimiter),
      );
    }
    const text = (bom ? '\ufeff' : '') + lines.join(newline) + (finalNewline ? newline : '');
    return { text, delimiter, newline };
  });

interface Read {
  rows: { at: number; row: unknown }[];
  rejected: { at: number; reason: string }[];
}

/** The reader's rows, the bytes decoded and pushed in pieces of `pieceBytes`. */
function readCsv(generated: Generated, pieceBytes: number): Read {
  const read: Read = { rows: [], rejected: [] };
  const sink: RowSink = {
    row: (row, at) => read.rows.push({ at, row }),
    reject: (at, reason) => read.rejected.push({ at, reason }),
  };
  const reader = new CsvReader('test.csv', sink, generated.delimiter, 1 << 20);
  const decoder = new Utf8Decoder('test.csv');
  const bytes = new TextEncoder().encode(generated.text);
  for (let start = 0; start < bytes.length; start += pieceBytes) {
    reader.push(decoder.decode(bytes.subarray(start, start + pieceBytes)));
  }
  reader.push(decoder.end());
  reader.end();
  return read;
}

/** The same rows from Papa.parse on the whole text (blank lines skipped, the header unquoted). */
function papaRows({ text, delimiter, newline }: Generated): Read {
  const { data, errors } = Papa.parse<string[]>(text, { delimiter, newline });
  expect(errors).toEqual([]);
  const records = data.filter((fields) => !(fields.length === 1 && fields[0].trim() === ''));
  const [header, ...rows] = records;
  return {
    rows: rows.map((fields, index) => ({
      at: index + 1,
      row: Object.fromEntries(header.map((name, k) => [name, fields[k]])),
    })),
    rejected: [],
  };
}

describe('CSV reader against papaparse', () => {
  it('gives the same rows as Papa.parse on valid CSV, however the text is cut', () => {
    fc.assert(
      fc.property(validCsv, fc.integer({ min: 1, max: 40 }), (generated, pieceBytes) => {
        expect(readCsv(generated, pieceBytes)).toEqual(papaRows(generated));
      }),
      { seed: 4204, numRuns: 400 },
    );
  });

  it('agrees on a hand-written file with every feature at once', () => {
    const generated: Generated = {
      text:
        '\ufeffid,"text, quoted","say ""hi"""\r\n' +
        '1,"two\r\nlines",plain\r\n' +
        '\r\n' +
        '2,"""",\r\n' +
        '3,,"ends"',
      delimiter: ',',
      newline: '\r\n',
    };
    const expected = papaRows(generated);
    expect(expected.rows).toEqual([
      { at: 1, row: { id: '1', 'text, quoted': 'two\r\nlines', 'say "hi"': 'plain' } },
      { at: 2, row: { id: '2', 'text, quoted': '"', 'say "hi"': '' } },
      { at: 3, row: { id: '3', 'text, quoted': '', 'say "hi"': 'ends' } },
    ]);
    for (const pieceBytes of [1, 2, 3, 7, 1000]) {
      expect(readCsv(generated, pieceBytes)).toEqual(expected);
    }
  });
});
