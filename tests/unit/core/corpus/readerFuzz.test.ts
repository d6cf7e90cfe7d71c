// Property-based fuzzing of the readers (fast-check, seeded, a bounded number of runs): valid JSON
// Lines, JSON arrays (one element a line, indented, on one line) and CSV, with prototype names as
// field names and values, are damaged — cut short, a bracket or quote deleted or inserted, an
// invalid byte inserted, an id repeated — and read in pieces of any size. Whatever the damage,
// rows read = kept + rejected, every row the damage did not touch is kept exactly as from the
// undamaged file, and the only error thrown is a CorpusFileError the damage explains.
// FUZZ_RUNS=5000 FUZZ_SEED=<n> run it longer, from another seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorpusFileError } from '../../../../src/core/corpus/errors';
import { importCorpus, type ImportReport } from '../../../../src/core/corpus/importCorpus';
import type { Sample } from '../../../../src/core/corpus/sample';
import { memoryFile } from './corpusFiles';

interface Row {
  id: string;
  prompt: string;
  response: string;
  tags: string[];
  constructor: string;
  __proto__: string;
  /** The answer's speaker in ShareGPT rows; a prototype name is no speaker, so its row is rejected. */
  speaker: string;
}

/** A file's text and where each row's text starts and ends in it. */
interface Written {
  name: string;
  text: string;
  spans: [number, number][];
}

const textPiece = fc.constantFrom(
  'a',
  'Bc',
  ' ',
  ',',
  ';',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '\\',
  '\n',
  'é',
  '数',
  '🙂',
  '__proto__',
  'constructor',
);
const text = fc.array(textPiece, { maxLength: 6 }).map((pieces) => pieces.join(''));
const tag = fc.constantFrom('math', 'code', 'constructor', '__proto__', 'toString', 'two words');

const rows: fc.Arbitrary<Row[]> = fc
  .array(
    fc.record({
      prompt: text,
      response: text,
      tags: fc.uniqueArray(tag, { minLength: 1, maxLength: 3 }),
      constructor: fc.constantFrom('', 'constructor', 'x'),
      proto: fc.constantFrom('', '__proto__', 'y'),
      speaker: fc.constantFrom('gpt', 'gpt', 'gpt', 'assistant', 'constructor', '__proto__'),
    }),
    { minLength: 3, maxLength: 24 },
  )
  .map((drawn) =>
    drawn.map((row, k) => ({
      id: `r${k}`,
      // The marker identifies the row among the samples, whatever its id.
      prompt: `Q#${k} ${row.prompt}`,
      response: row.response,
      tags: row.tags,
      // Own fields named like Object.prototype's members.
      ['constructor']: row.constructor,
      ['__proto__']: row.proto,
      speaker: row.speaker,
    })),
  );

function rowObject(row: Row): Record<string, unknown> {
  // Built with defineProperty semantics so that __proto__ is an own field JSON.stringify writes.
  return Object.fromEntries([
    ['id', row.id],
    ['prompt', row.prompt],
    ['response', row.response],
    ['tags', row.tags],
    ['constructor', row.constructor],
    ['__proto__', row.__proto__],
  ]);
}

function concat(name: string, before: string, pieces: string[], between: string, after: string) {
  const spans: [number, number][] = [];
  let text = before;
  pieces.forEach((piece, k) => {
    if (k > 0) text += between;
    spans.push([text.length, text.length + piece.length]);
    text += piece;
  });
  return { name, text: text + after, spans };
}

/** A ShareGPT row with the same content. */
function conversationObject(row: Row): Record<string, unknown> {
  return Object.fromEntries([
    ['id', row.id],
    [
      'conversations',
      [
        { from: 'human', value: row.prompt },
        { from: row.speaker, value: row.response },
      ],
    ],
    ['tags', row.tags],
    ['constructor', row.constructor],
  ]);
}

const writers: Record<string, (rows: Row[]) => Written> = {
  'sharegpt-jsonl': (rows) =>
    concat(
      'fuzz.jsonl',
      '',
      rows.map((row) => JSON.stringify(conversationObject(row))),
      '\n',
      '\n',
    ),
  jsonl: (rows) =>
    concat(
      'fuzz.jsonl',
      '',
      rows.map((row) => JSON.stringify(rowObject(row))),
      '\n',
      '\n',
    ),
  'jsonl-crlf': (rows) =>
    concat(
      'fuzz.jsonl',
      '',
      rows.map((row) => JSON.stringify(rowObject(row))),
      '\r\n',
      '',
    ),
  'json-lines': (rows) =>
    concat(
      'fuzz.json',
      '[\n',
      rows.map((row) => JSON.stringify(rowObject(row))),
      ',\n',
      '\n]\n',
    ),
  'json-indented': (rows) =>
    concat(
      'fuzz.json',
      '[\n  ',
      rows.map((row) => JSON.stringify(rowObject(row), null, 2).replaceAll('\n', '\n  ')),
      ',\n  ',
      '\n]',
    ),
  'json-one-line': (rows) =>
    concat(
      'fuzz.json',
      '[',
      rows.map((row) => JSON.stringify(rowObject(row))),
      ',',
      ']',
    ),
  csv: (rows) => {
    const field = (value: string) =>
      /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
    const records = rows.map((row) =>
      [row.id, row.prompt, row.response, row.tags.join('|'), row.constructor, row.__proto__]
        .map(field)
        .join(','),
    );
    return concat(
      'fuzz.csv',
      'id,prompt,response,tags,constructor,__proto__\n',
      records,
      '\n',
      '\n',
    );
  },
};

type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'invalid byte'; at: number; byte: number }
  | { kind: 'repeat id'; from: number; to: number };

/** Damage somewhere in the rows (after the start of the first row: before it lies the header). */
function damage(written: Written, rowCount: number): fc.Arbitrary<Damage> {
  const first = written.spans[0][0];
  const at = fc.integer({ min: first, max: written.text.length - 1 });
  const structural = [...written.text]
    .map((c, k) => ({ c, k }))
    .filter(({ c, k }) => k >= first && '{}[]",\n'.includes(c))
    .map(({ k }) => k);
  return fc.oneof(
    at.map((position) => ({ kind: 'truncate' as const, at: position })),
    fc.constantFrom(...structural).map((position) => ({ kind: 'delete' as const, at: position })),
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      text: fc.constantFrom('{', '}', '[', ']', '"', ',', '\n'),
    }),
    fc.record({
      kind: fc.constant('invalid byte' as const),
      at,
      byte: fc.constantFrom(0xff, 0xfe, 0xc0, 0x80),
    }),
    fc
      .tuple(fc.nat(rowCount - 1), fc.nat(rowCount - 1))
      .filter(([a, b]) => a !== b)
      .map(([from, to]) => ({ kind: 'repeat id' as const, from, to })),
  );
}

function apply(written: Written, rows: Row[], done: Damage, write: (rows: Row[]) => Written) {
  const bytes = (text: string) => new TextEncoder().encode(text);
  switch (done.kind) {
    case 'truncate':
      return bytes(written.text.slice(0, done.at));
    case 'delete':
      return bytes(written.text.slice(0, done.at) + written.text.slice(done.at + 1));
    case 'insert':
      return bytes(written.text.slice(0, done.at) + done.text + written.text.slice(done.at));
    case 'invalid byte': {
      const before = bytes(written.text.slice(0, done.at));
      const after = bytes(written.text.slice(done.at));
      return new Uint8Array([...before, done.byte, ...after]);
    }
    case 'repeat id':
      return bytes(
        write(rows.map((row, k) => (k === done.to ? { ...row, id: rows[done.from].id } : row)))
          .text,
      );
  }
}

/** The rows the damage cannot have touched: those not next to it (or, cut short, wholly before the cut). */
function untouched(written: Written, done: Damage): number[] {
  const { spans } = written;
  return spans.flatMap(([, end], k) => {
    if (done.kind === 'repeat id') return [k];
    if (done.kind === 'truncate') return end <= done.at ? [k] : [];
    const previousEnd = k > 0 ? spans[k - 1][1] : 0;
    const nextStart = k + 1 < spans.length ? spans[k + 1][0] : Infinity;
    return done.at >= previousEnd && done.at <= nextStart ? [] : [k];
  });
}

async function read(name: string, bytes: Uint8Array, chunkSize: number) {
  const samples: Sample[] = [];
  const report: ImportReport = await importCorpus(memoryFile(name, bytes, chunkSize), {
    onBatch: (batch) => {
      samples.push(...batch);
    },
  });
  return { report, samples };
}

const marker = (sample: Sample) => /^Q#(\d+) /.exec(sample.messages[0]?.content ?? '')?.[1];
const content = ({ messages, skills }: Sample) => ({ messages, skills });

describe('readers under damage', () => {
  for (const [format, write] of Object.entries(writers)) {
    it(`${format}: rows read = kept + rejected; untouched rows are kept as they were`, async () => {
      await fc.assert(
        fc.asyncProperty(
          rows.chain((drawn) => {
            const written = write(drawn);
            return fc.record({
              rows: fc.constant(drawn),
              written: fc.constant(written),
              damage: damage(written, drawn.length),
              chunkSize: fc.constantFrom(1, 3, 7, 64, 4096),
            });
          }),
          async ({ rows: drawn, written, damage: done, chunkSize }) => {
            const baseline = await read(written.name, new TextEncoder().encode(written.text), 4096);
            const speakers = format.startsWith('sharegpt') ? drawn.map((row) => row.speaker) : [];
            const unknownSpeakers = speakers.filter(
              (s) => s === 'constructor' || s === '__proto__',
            );
            expect(baseline.report.kept).toBe(drawn.length - unknownSpeakers.length);
            const expected = new Map(baseline.samples.map((s) => [marker(s), s]));

            const bytes = apply(written, drawn, done, write);
            let result: Awaited<ReturnType<typeof read>>;
            try {
              result = await read(written.name, bytes, chunkSize);
            } catch (error) {
              expect(error).toBeInstanceOf(CorpusFileError);
              if (done.kind === 'invalid byte') {
                expect((error as Error).message).toMatch(/ is not UTF-8 text \(invalid byte at /);
              } else {
                // Only damage that leaves no row untouched may make the file unreadable.
                expect(untouched(written, done)).toEqual([]);
              }
              return;
            }
            expect(done.kind).not.toBe('invalid byte');
            const { report, samples } = result;
            expect(report.rows).toBe(
              report.kept + report.rejected.length + report.rejectedNotListed,
            );
            expect(samples).toHaveLength(report.kept);
            for (const sample of samples) {
              for (const message of sample.messages) {
                expect(['system', 'user', 'assistant']).toContain(message.role);
              }
            }
            for (const k of untouched(written, done)) {
              const want = expected.get(String(k));
              const found = samples.filter((s) => marker(s) === String(k)).map(content);
              if (want) expect(found, `row ${k}`).toContainEqual(content(want));
              else expect(found, `row ${k}, rejected unharmed`).toEqual([]);
            }
          },
        ),
        {
          seed: Number(process.env.FUZZ_SEED ?? 10_2026),
          numRuns: Number(process.env.FUZZ_RUNS ?? 150),
        },
      );
    });
  }
});
