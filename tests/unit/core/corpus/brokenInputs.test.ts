// Malformed rows are listed and skipped; broken files throw one CorpusFileError with the
// message documented in src/core/corpus/README.md. Every input is written to a temp folder and
// read back through a file stream.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CorpusFileError } from '../../../../src/core/corpus/errors';
import { importCorpus } from '../../../../src/core/corpus/importCorpus';
import { importWritten, jsonl, memoryFile, tempFolder } from './corpusFiles';

const folder = tempFolder();
const good = (n: number) => JSON.stringify({ id: `g${n}`, prompt: `Question ${n}?`, tags: ['t'] });

async function fileError(name: string, content: string | Uint8Array): Promise<CorpusFileError> {
  const error = await importWritten(folder, name, content).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CorpusFileError);
  return error as CorpusFileError;
}

describe('rejected rows', () => {
  it('a truncated line in the middle and at the end', async () => {
    const text = [
      good(1),
      '{"id": "t2", "prompt": "cut sh',
      good(3),
      good(4),
      '{"id": "t5", "pro',
    ].join('\n');
    const report = await importWritten(folder, 'truncated.jsonl', text);
    expect(report).toMatchObject({ rows: 5, kept: 3 });
    expect(report.rejected.map((r) => r.line)).toEqual([2, 5]);
    expect(report.rejected[0].reason).toMatch(/^invalid JSON: Unterminated string in JSON/);
    expect(report.rejected[1].reason).toMatch(
      /^invalid JSON: .*\(the file ends inside this line: truncated\?\)$/,
    );
  });

  it('exactly the three broken lines are rejected, blank lines are skipped', async () => {
    const lines = [
      good(1),
      good(2),
      '{"id": "b3", "prompt": "no closing brace"',
      good(4),
      '',
      '[1, 2]',
      good(7),
      '   ',
      '{"id": "b9", "prompt": 9}',
      good(10),
    ];
    const report = await importWritten(folder, 'three.jsonl', lines.join('\r\n') + '\r\n');
    expect(report).toMatchObject({ rows: 8, kept: 5 });
    expect(report.rejected).toEqual([
      { line: 3, reason: expect.stringMatching(/^invalid JSON: /) },
      { line: 6, reason: 'row is not a JSON object (found an array)' },
      { line: 9, reason: 'field "prompt" must be a string' },
    ]);
  });

  it('wrong field types name the field; a tag of the wrong type is dropped, its row kept', async () => {
    const rows = [
      { instruction: 'Explain recursion.', output: 'It calls itself.', tags: ['cs'] },
      { instruction: ['not', 'text'], output: 'x', tags: ['cs'] },
      { instruction: 'Fine', output: { text: 'no' }, tags: ['cs'] },
      { instruction: 'Tags wrong', output: 'y', tags: [{ name: 'cs' }] },
    ];
    const report = await importWritten(folder, 'types.jsonl', jsonl(rows), { tagField: 'tags' });
    expect(report.kept).toBe(2);
    expect(report.rejected).toEqual([
      { line: 2, reason: 'field "instruction" must be a string' },
      { line: 3, reason: 'field "output" must be a string' },
    ]);
    expect(report.droppedTags).toEqual([{ line: 4, reason: 'tag field "tags": an object' }]);
    expect(report.tagsPerSample).toEqual({ 0: 1, 1: 1 });
  });

  it('a 10 MB line between good lines is rejected by the size limit; its neighbours are kept', async () => {
    const huge = JSON.stringify({ id: 'huge', prompt: 'x'.repeat(10 * 1024 * 1024) });
    const report = await importWritten(folder, 'huge.jsonl', [good(1), huge, good(3)].join('\n'));
    expect(report).toMatchObject({ rows: 3, kept: 2 });
    expect(report.rejected).toEqual([
      {
        line: 2,
        reason: 'row is longer than 8,388,608 characters, the limit for one row; skipped',
      },
    ]);
  });

  it('the size limit applies to JSON array elements and CSV rows too', async () => {
    const long = 'y'.repeat(5000);
    const array = `[${good(1)},\n{"prompt": "${long}"},\n${good(3)}]`;
    const fromArray = await importCorpus(memoryFile('long.json', array, 512), {
      maxRowChars: 1000,
    });
    expect(fromArray).toMatchObject({ rows: 3, kept: 2 });
    expect(fromArray.rejected).toEqual([
      { line: 2, reason: 'row is longer than 1,000 characters, the limit for one row; skipped' },
    ]);
    const csv = `prompt,tags\nfirst,a\n"${long}",b\nthird,c\n`;
    const fromCsv = await importCorpus(memoryFile('long.csv', csv, 512), { maxRowChars: 1000 });
    expect(fromCsv).toMatchObject({ rows: 3, kept: 2 });
    expect(fromCsv.rejected.map((r) => r.line)).toEqual([2]);
  });

  it('a JSON array cut off inside an element, and text after the array', async () => {
    const cut = await importWritten(folder, 'cut.json', `[${good(1)},\n${good(2)},\n{"prompt": "a`);
    expect(cut.kept).toBe(2);
    expect(cut.rejected).toEqual([
      { line: 3, reason: 'the file ends inside this element (truncated)' },
    ]);
    const trailing = await importWritten(folder, 'trailing.json', `[${good(1)}]\n\n[${good(2)}]`);
    expect(trailing.kept).toBe(1);
    expect(trailing.rejected).toEqual([
      { line: 3, reason: 'unexpected text after the closing ] of the array' },
    ]);
  });

  it('lists at most maxListedRejections and counts the rest', async () => {
    const lines = [good(0), ...Array.from({ length: 30 }, (_, k) => `{broken ${k}`)];
    const report = await importCorpus(memoryFile('many.jsonl', lines.join('\n')), {
      maxListedRejections: 10,
    });
    expect(report.rejected).toHaveLength(10);
    expect(report.rejectedNotListed).toBe(20);
    expect(report.rows).toBe(31);
  });
});

describe('reading goes on after a bad row', () => {
  const csvRows = (count: number, line: (k: number) => string) =>
    ['prompt,tags', ...Array.from({ length: count }, (_, k) => line(k))].join('\n') + '\n';

  it('a CSV with an unterminated quote in row 2 of 10,000 loses row 2 only', async () => {
    const csv = csvRows(10_000, (k) => `${k === 1 ? '"' : ''}Question ${k},t${k % 7}`);
    const report = await importCorpus(memoryFile('stray.csv', csv, 4096));
    expect(report).toMatchObject({ rows: 10_000, kept: 9_999, rejectedNotListed: 0 });
    expect(report.rejected).toEqual([
      { line: 2, reason: 'malformed CSV: quoted field unterminated' },
    ]);
  });

  it('a stray quote that a later quoted field seems to close', async () => {
    const csv = csvRows(6, (k) => (k === 1 ? '"stray,t1' : `"Question, ${k}",t${k}`));
    const report = await importCorpus(memoryFile('later.csv', csv, 5));
    expect(report).toMatchObject({ rows: 6, kept: 5 });
    expect(report.rejected).toEqual([
      { line: 2, reason: 'malformed CSV: text after the closing quote of a field' },
    ]);
  });

  it("a quoted field spanning lines is kept when its row has the header's fields, not otherwise", async () => {
    const csv = 'prompt,tags\n"two\nlines",a\n"x\ny",b,extra\nthird,c\n';
    const report = await importCorpus(memoryFile('span.csv', csv, 3));
    expect(report).toMatchObject({ rows: 4, kept: 2 });
    expect(report.rejected).toEqual([
      {
        line: 2,
        reason: 'row has 3 fields, the header has 2 (a quoted field spans lines: a stray quote?)',
      },
      // Read again from the line after the bad row's first: `y",b,extra` is a row of its own.
      { line: 3, reason: 'row has 3 fields, the header has 2' },
    ]);
  });

  it('an unterminated quote in a file larger than the row size limit', async () => {
    const csv = csvRows(2_000, (k) => `${k === 1 ? '"' : ''}Question ${k},t${k % 7}`);
    const report = await importCorpus(memoryFile('big.csv', csv, 512), { maxRowChars: 1000 });
    expect(report).toMatchObject({ rows: 2_000, kept: 1_999 });
    expect(report.rejected).toEqual([
      { line: 2, reason: 'row is longer than 1,000 characters, the limit for one row; skipped' },
    ]);
  });

  const elements = (count: number) =>
    Array.from({ length: count }, (_, k) => ({
      id: `e${k}`,
      conversations: [
        { from: 'human', value: `Question ${k}?` },
        { from: 'gpt', value: `Answer ${k}.` },
      ],
      tags: [`t${k % 5}`],
    }));

  it('a JSON array of 10,000 whose second element lacks its closing brace loses that element only', async () => {
    const lines = elements(10_000).map((e) => JSON.stringify(e));
    lines[1] = lines[1].slice(0, -1);
    const report = await importCorpus(memoryFile('brace.json', `[\n${lines.join(',\n')}\n]\n`));
    expect(report).toMatchObject({ rows: 10_000, kept: 9_999 });
    expect(report.rejected).toEqual([
      { line: 3, reason: expect.stringMatching(/^invalid JSON: /) as unknown },
    ]);
  });

  it('JSON arrays, one element a line, indented or on one line, with a quote or bracket missing', async () => {
    const rows = elements(40);
    const layouts: [string, string][] = [
      ['lines', `[\n${rows.map((e) => JSON.stringify(e)).join(',\n')}\n]`],
      ['indented', JSON.stringify(rows, null, 2)],
      ['one line', JSON.stringify(rows)],
    ];
    const without = (text: string, at: number) => text.slice(0, at) + text.slice(at + 1);
    // Each takes one character out of element e7 (the row with id "e7").
    const damage: [string, (text: string) => number][] = [
      ['an opening quote', (text) => text.indexOf('"Answer 7.')],
      ['a closing quote', (text) => text.indexOf('"', text.indexOf('Question 7?'))],
      ['an opening bracket', (text) => text.lastIndexOf('[', text.indexOf('Question 7?'))],
      ['a closing bracket', (text) => text.indexOf(']', text.indexOf('Answer 7.'))],
      ['a closing brace', (text) => text.indexOf('}', text.indexOf('"t2"', text.indexOf('e7')))],
    ];
    for (const [layout, text] of layouts) {
      for (const [what, position] of damage) {
        const ids: string[] = [];
        const report = await importCorpus(
          memoryFile(`${layout}.json`, without(text, position(text)), 97),
          {
            onBatch: (batch) => {
              ids.push(...batch.map((sample) => sample.id));
            },
          },
        );
        const context = `${layout}, without ${what}`;
        expect(ids, context).toEqual(rows.map((e) => e.id).filter((id) => id !== 'e7'));
        expect(report.rows - report.kept, context).toBe(report.rejected.length);
      }
    }
  });

  it('a stray ] or [ between elements, and elements with no comma between them', async () => {
    const [a, b, c] = elements(3).map((e) => JSON.stringify(e));
    const stray = await importCorpus(memoryFile('stray.json', `[${a},\n${b}],\n${c}]`));
    expect(stray).toMatchObject({ rows: 4, kept: 3 });
    expect(stray.rejected).toEqual([
      { line: 2, reason: 'unexpected ] before the end of the array' },
    ]);
    const glued = await importCorpus(memoryFile('glued.json', `[${a},\n${b}\n${c}]`));
    // A stray [ makes one array of the elements after it: rejected, and read again.
    const wrapped = await importCorpus(memoryFile('wrapped.json', `[${a},\n[${b},\n${c}]`));
    expect(wrapped).toMatchObject({ rows: 4, kept: 3 });
    expect(wrapped.rejected).toEqual([
      { line: 2, reason: 'row is not a JSON object (found an array)' },
    ]);
    // The first of two glued elements is lost with the comma, the second is read.
    expect(glued).toMatchObject({ rows: 3, kept: 2 });
    expect(glued.rejected.map((r) => r.line)).toEqual([2]);
  });

  it('a CSV header row that does not end cleanly is a whole-file error', async () => {
    expect((await fileError('header.csv', '"prompt,tags\nfirst,a\n')).message).toBe(
      'header.csv has a malformed header row (malformed CSV: quoted field unterminated): "prompt,tags',
    );
  });
});

describe('whole-file errors', () => {
  it('empty file', async () => {
    expect((await fileError('empty.jsonl', '')).message).toBe('empty.jsonl is empty');
    expect((await fileError('blank.jsonl', '\n  \n')).message).toBe(
      'blank.jsonl is empty (it holds only white space)',
    );
  });

  it('binary files', async () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49,
    ]);
    expect((await fileError('image.jsonl', png)).message).toBe(
      'image.jsonl is not a text file (binary data: a NUL byte at offset 8)',
    );
    let seed = 7;
    const noise = Uint8Array.from({ length: 5000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed >>> 23;
    });
    expect((await fileError('noise.csv', noise)).message).toMatch(
      /^noise\.csv is not a text file \(binary data: a NUL byte at offset \d+\)$/,
    );
    const controls = new TextEncoder().encode('{"a":"\x01\x02\x03\x04\x05\x06"}\n');
    expect((await fileError('controls.jsonl', controls)).message).toBe(
      `controls.jsonl is not a text file (binary data: 6 control bytes in the first ${controls.length})`,
    );
    expect((await fileError('corpus.jsonl.gz', gzipSync(jsonl([{ prompt: 'x' }])))).message).toBe(
      'corpus.jsonl.gz is gzip-compressed; decompress it first',
    );
  });

  it('Latin-1 text, with the offset of the first invalid byte', async () => {
    // 100 KB of good lines first, so the bad byte lies beyond the first stream chunk.
    const prefix = Array.from({ length: 1500 }, (_, k) => good(k)).join('\n') + '\n';
    const prefixBytes = new TextEncoder().encode(prefix);
    const latin1 = Uint8Array.from('{"prompt": "caf\xe9"}\n', (c) => c.charCodeAt(0));
    const bytes = new Uint8Array(prefixBytes.length + latin1.length);
    bytes.set(prefixBytes);
    bytes.set(latin1, prefixBytes.length);
    const offset = prefixBytes.length + 15;
    const expected = `latin1.jsonl is not UTF-8 text (invalid byte at offset ${offset}); it looks like Latin-1/Windows-1252 — re-save it as UTF-8`;
    expect((await fileError('latin1.jsonl', bytes)).message).toBe(expected);
    // The same bytes in 7-byte chunks, and a file ending inside a multi-byte sequence.
    await expect(importCorpus(memoryFile('latin1.jsonl', bytes, 7))).rejects.toThrow(expected);
    const cutEuro = new Uint8Array([...new TextEncoder().encode('{"prompt": "5 '), 0xe2, 0x82]);
    await expect(importCorpus(memoryFile('cut.jsonl', cutEuro, 3))).rejects.toThrow(
      'cut.jsonl is not UTF-8 text (invalid byte at offset 14)',
    );
    await expect(
      importWritten(folder, 'utf16.jsonl', new Uint8Array([0xff, 0xfe, 0x7b, 0])),
    ).rejects.toThrow('utf16.jsonl is UTF-16 text; re-save it as UTF-8');
  });

  it('a JSON file that is neither an array nor JSON Lines', async () => {
    const pretty = JSON.stringify({ data: [{ prompt: 'a' }, { prompt: 'b' }] }, null, 2);
    expect((await fileError('pretty.json', pretty)).message).toMatch(
      /^pretty\.json is neither a JSON array nor JSON Lines: none of its first 10 non-blank lines is a complete JSON value \(line 1: invalid JSON: /,
    );
    expect((await fileError('words.json', 'hello world')).message).toBe(
      'words.json is neither a JSON array nor JSON Lines: it must start with [ (an array of rows) or { (one JSON object per line)',
    );
  });

  it('no rows, no usable rows, no text field', async () => {
    expect((await fileError('none.json', '[ ]')).message).toBe('none.json has no rows');
    expect((await fileError('header.csv', 'prompt,tags\n')).message).toBe('header.csv has no rows');
    expect((await fileError('arrays.jsonl', '[1]\n[2]\n')).message).toBe(
      'arrays.jsonl has no usable rows: all 2 were rejected (line 1: row is not a JSON object (found an array))',
    );
    expect((await fileError('numbers.jsonl', jsonl([{ a: 1, b: 2 }, { a: 3 }]))).message).toBe(
      'numbers.jsonl has no text field in its first 2 rows (fields: a, b); expected conversations, messages, instruction, prompt, question or another text field',
    );
  });

  it('not Parquet despite .parquet, unreadable Parquet, unknown format', async () => {
    expect((await fileError('fake.parquet', jsonl([{ prompt: 'x' }]))).message).toBe(
      'fake.parquet is not a Parquet file (it does not start with PAR1)',
    );
    expect((await fileError('broken.parquet', 'PAR1 and then nothing useful')).message).toMatch(
      /^broken\.parquet is not a readable Parquet file: /,
    );
    expect((await fileError('notes.txt', 'hello')).message).toBe(
      'notes.txt has an unknown format: expected a .jsonl, .json, .csv, .tsv or .parquet file',
    );
  });
});
