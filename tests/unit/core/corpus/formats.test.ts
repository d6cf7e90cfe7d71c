// File formats: CSV/TSV, Parquet, JSON arrays and JSON Lines, whatever the chunk boundaries.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusFileFromPath } from '../../../../src/cli/corpusFile';
import { importCorpus, type ImportReport } from '../../../../src/core/corpus/importCorpus';
import type { Sample } from '../../../../src/core/corpus/sample';
import { importWritten, jsonl, memoryFile, tempFolder } from './corpusFiles';

const folder = tempFolder();

async function importInChunks(name: string, content: string | Uint8Array, chunkSize: number) {
  const samples: Sample[] = [];
  const report = await importCorpus(memoryFile(name, content, chunkSize), {
    onBatch: (batch) => {
      samples.push(...batch);
    },
  });
  return { report, samples };
}

/** The same file read in chunks of 1, 2, 3, 7 and 64K bytes gives the same samples and report. */
async function expectChunkingIrrelevant(name: string, content: string) {
  const whole = await importInChunks(name, content, 1 << 16);
  for (const size of [1, 2, 3, 7]) {
    expect(await importInChunks(name, content, size)).toEqual(whole);
  }
  return whole;
}

describe('CSV', () => {
  it('a header row, quoted fields with commas and newlines, a tags column', async () => {
    const csv =
      '\ufeffid,prompt,response,tags\r\n' +
      'c1,"Hello, world","Line one\r\nline two",greeting; english\r\n' +
      'c2,"She said ""hi""",ok,greeting\r\n' +
      '\r\n' +
      'c3,only three fields,x\r\n' +
      'c4,Last row,done,"english;;closing"';
    const report = await importWritten(folder, 'chat.csv', csv);
    expect(report).toMatchObject({
      format: 'csv',
      shape: 'generic',
      textFields: ['prompt', 'response'],
      tagField: 'tags',
      delimiter: ';',
      rows: 4,
      kept: 3,
      skills: 3,
      tagsPerSample: { 1: 1, 2: 2 },
      rejected: [{ line: 3, reason: 'row has 3 fields, the header has 4' }],
    });
    const { samples } = await expectChunkingIrrelevant('chat.csv', csv);
    expect(samples[0]).toEqual({
      id: 'c1',
      messages: [
        { role: 'user', content: 'Hello, world' },
        { role: 'assistant', content: 'Line one\r\nline two' },
      ],
      skills: ['greeting', 'english'],
      source: 'chat.csv#1',
    });
    expect(samples[1].messages[0].content).toBe('She said "hi"');
    expect(samples[2].skills).toEqual(['english', 'closing']);
  });

  it('TSV with list literals in the tag column', async () => {
    const tsv =
      "instruction\toutput\tskills\nAdd 2 and 2.\t4\t['arithmetic', 'addition']\nSpell cat.\tc-a-t\t[\"spelling\"]\n";
    const report = await importWritten(folder, 'ops.tsv', tsv);
    expect(report).toMatchObject({ format: 'csv', shape: 'alpaca', tagField: 'skills', kept: 2 });
    expect(report.skillCounts).toEqual([
      ['addition', 1],
      ['arithmetic', 1],
      ['spelling', 1],
    ]);
  });

  it('an unterminated quote at the end rejects that row', async () => {
    const report = await importWritten(
      folder,
      'quote.csv',
      'prompt,tags\nfine,a\n"never closed,b\n',
    );
    expect(report.kept).toBe(1);
    expect(report.rejected).toEqual([
      { line: 2, reason: 'malformed CSV: quoted field unterminated' },
    ]);
  });
});

describe('Parquet', () => {
  it('reads nested columns, two GZIP row groups, through random access', async () => {
    const path = fileURLToPath(new URL('../../../fixtures/corpora/tiny.parquet', import.meta.url));
    const samples: Sample[] = [];
    const report = await importCorpus(await corpusFileFromPath(path), {
      onBatch: (batch) => {
        samples.push(...batch);
      },
    });
    expect(report).toMatchObject({
      format: 'parquet',
      shape: 'infinity-instruct',
      tagField: 'label.ability_en',
      rows: 5,
      kept: 4,
      tagged: 3,
      skills: 3,
      tagsPerSample: { 0: 1, 1: 2, 2: 1 },
      rejected: [{ line: 3, reason: 'no usable text: no user turn with text in "conversations"' }],
    });
    expect(samples.map((s) => s.id)).toEqual(['pq-1', 'pq-2', 'pq-4', 'pq-5']);
    expect(samples[1]).toEqual({
      id: 'pq-2',
      messages: [
        { role: 'system', content: 'You are a careful programmer.' },
        { role: 'user', content: 'Reverse a list in Python.' },
        { role: 'assistant', content: 'Use `items[::-1]` or `items.reverse()`.' },
      ],
      skills: ['programming ability'],
      source: 'tiny.parquet#2',
    });
    expect(samples[2].skills).toEqual(['mathematical ability']);
  });
});

describe('JSON', () => {
  const tricky = [
    { id: 1, prompt: 'Quote " and backslash \\ and \\" together', tags: ['a,b', 'c'] },
    { id: 2, prompt: 'Brackets ] } [ { inside, and a comma, here', tags: ['ü', '数据'] },
    { id: 3, prompt: 'Ends with a backslash \\', tags: [] },
    {
      id: 4,
      prompt: 'Emoji 🙂 and\nnewline\\n',
      tags: ['x'],
      nested: { deep: [[1, [2]], { k: ']' }] },
    },
  ];

  it('a JSON array split anywhere: strings, escapes, nesting and multi-byte characters', async () => {
    const text = `\ufeff[\n  ${tricky.map((row) => JSON.stringify(row, null, 1)).join(' ,\n  ')}\n]\n`;
    const { report, samples } = await expectChunkingIrrelevant('tricky.json', text);
    expect(report).toMatchObject({ format: 'json', rows: 4, kept: 4, tagField: 'tags' });
    expect(samples.map((s) => s.messages[0].content)).toEqual(tricky.map((row) => row.prompt));
    expect(samples.map((s) => s.source)).toEqual([
      'tricky.json:2',
      'tricky.json:10',
      'tricky.json:18',
      'tricky.json:23',
    ]);
  });

  it('JSON Lines split anywhere, and a .json file holding JSON Lines', async () => {
    const text = jsonl(tricky);
    const lines = await expectChunkingIrrelevant('tricky.jsonl', text);
    expect(lines.samples.map((s) => s.skills)).toEqual([['a,b', 'c'], ['ü', '数据'], [], ['x']]);
    const misnamed: ImportReport = (await importInChunks('tricky.json', text, 1 << 16)).report;
    expect(misnamed).toMatchObject({ format: 'jsonl', kept: 4 });
  });
});
