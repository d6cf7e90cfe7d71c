// Values a file cannot be trusted with: repeated and oversized ids, tag fields with values that
// are no skill names, invisible tags, text that is not UTF-8; and an import resumed part-way.
import { describe, expect, it } from 'vitest';
import {
  importCorpus,
  previewCorpus,
  type ImportOptions,
} from '../../../../src/core/corpus/importCorpus';
import type { ReadPosition } from '../../../../src/core/corpus/importSession';
import type { Sample } from '../../../../src/core/corpus/sample';
import { jsonl, memoryFile } from './corpusFiles';

async function importRows(name: string, content: string | Uint8Array, options: ImportOptions = {}) {
  const samples: Sample[] = [];
  const report = await importCorpus(memoryFile(name, content), {
    ...options,
    onBatch: (batch) => {
      samples.push(...batch);
    },
  });
  return { report, samples };
}

async function fileError(name: string, content: string | Uint8Array): Promise<string> {
  return importCorpus(memoryFile(name, content)).then(
    () => 'imported',
    (error: Error) => error.message,
  );
}

describe('sample ids', () => {
  it('a repeated id gets #2, #3, … and keeps the file id as sourceId; every row is kept', async () => {
    const rows = [
      { id: 'q1', prompt: 'a' },
      { id: 'q1', prompt: 'b' },
      { id: 'q1#2', prompt: 'c' },
      { id: 'q1', prompt: 'd' },
      { id: 7, prompt: 'e' },
      { id: '7', prompt: 'f' },
      { prompt: 'g' },
      { id: 'row-7', prompt: 'h' },
    ];
    const { report, samples } = await importRows('ids.jsonl', jsonl(rows));
    expect(report).toMatchObject({ rows: 8, kept: 8, duplicateIds: 5 });
    expect(samples.map(({ id, sourceId }) => (sourceId ? `${id} (${sourceId})` : id))).toEqual([
      'q1',
      'q1#2 (q1)',
      'q1#2#2 (q1#2)',
      'q1#3 (q1)',
      '7',
      '7#2 (7)',
      'row-7',
      'row-7#2 (row-7)',
    ]);
  });

  it('a row-<n> given to a row without an id and an own id of that form never coincide', async () => {
    const rows = [
      { id: 'row-3', prompt: 'a' },
      { prompt: 'b' },
      { prompt: 'c' },
      { id: 'row-2', prompt: 'd' },
      { id: 'row-03', prompt: 'e' },
    ];
    const { report, samples } = await importRows('row-ids.jsonl', jsonl(rows));
    expect(report).toMatchObject({ rows: 5, kept: 5, duplicateIds: 1 });
    expect(samples.map(({ id, sourceId }) => (sourceId ? `${id} (${sourceId})` : id))).toEqual([
      'row-3',
      'row-2',
      'row-3#2',
      'row-2#2 (row-2)',
      'row-03',
    ]);
  });

  it('the preview gives the same unique ids, also for ids that one double cannot tell apart', async () => {
    const text =
      '{"id": 9007199254740993, "prompt": "a"}\n' +
      '{"id": 9007199254740992, "prompt": "b"}\n' +
      '{"id": 9007199254740993, "prompt": "c"}\n' +
      '{"nested": {"id": 1}, "id": 123456789012345678901234567890, "prompt": "d"}\n';
    const preview = await previewCorpus(memoryFile('big.jsonl', text));
    const ids = [
      '9007199254740993',
      '9007199254740992',
      '9007199254740993#2',
      '123456789012345678901234567890',
    ];
    expect(preview.samples.map((s) => s.id)).toEqual(ids);
    const array = `[${text.trim().split('\n').join(',\n')}]`;
    const { report, samples } = await importRows('big.json', array);
    expect(samples.map((s) => s.id)).toEqual(ids);
    expect(report.duplicateIds).toBe(1);
  });
});

describe('tag fields with values that are no skill names', () => {
  const row = (k: number, tags: unknown) => ({ prompt: `p${k}`, tags });

  it('stay tag fields when one of fifty rows holds a long tag, an object or a nested list', async () => {
    for (const bad of ['x'.repeat(90), { name: 'math' }, ['math', ['logic']], 42]) {
      const rows = Array.from({ length: 50 }, (_, k) => row(k, k === 3 ? bad : ['math']));
      const preview = await previewCorpus(memoryFile('tags.jsonl', jsonl(rows)));
      expect(preview.tagField, JSON.stringify(bad)).toBe('tags');
    }
  });

  it('a field mostly of long text is no candidate, yet can be chosen like any field', async () => {
    const rows = Array.from({ length: 10 }, (_, k) => ({
      prompt: `p${k}`,
      notes: k < 3 ? 'short' : `a long note ${'that goes on '.repeat(10)}`,
    }));
    const preview = await previewCorpus(memoryFile('notes.jsonl', jsonl(rows)));
    expect(preview.tagFieldCandidates).toEqual([]);
    expect(preview.fields).toEqual(['prompt', 'notes']);
    const { report } = await importRows('notes.jsonl', jsonl(rows), { tagField: 'notes' });
    expect(report).toMatchObject({ kept: 10, tagged: 3, skills: 1 });
    expect(report.droppedTags).toHaveLength(7);
    expect(report.droppedTags[0]).toEqual({
      line: 4,
      reason:
        'tag field "notes": a tag of 141 characters, over 80 ("a long note that goes on that goes on th"…)',
    });
  });

  it('drops invisible tags and trims invisible characters off the ends of the others', async () => {
    const rows = [
      row(1, ['logic']),
      row(2, ['\u200b', 'logic\u200b', '\u00a0math\u2060']),
      row(3, 'a;\u200c;b'),
      row(4, ['two\u200bwords']),
    ];
    const { report, samples } = await importRows('zw.jsonl', jsonl(rows), { delimiter: ';' });
    expect(samples.map((s) => s.skills)).toEqual([
      ['logic'],
      ['logic', 'math'],
      ['a', 'b'],
      ['two\u200bwords'],
    ]);
    expect(report.droppedTags).toEqual([
      { line: 2, reason: 'tag field "tags": a tag of invisible characters only (U+200B)' },
      { line: 3, reason: 'tag field "tags": a tag of invisible characters only (U+200C)' },
    ]);
  });

  it('lists at most maxListedRejections rows with dropped tags and counts the rest', async () => {
    const rows = Array.from({ length: 6 }, (_, k) => row(k, ['ok', { bad: k }]));
    const { report } = await importRows('many.jsonl', jsonl(rows), { maxListedRejections: 2 });
    expect(report.droppedTags.map((d) => d.line)).toEqual([1, 2]);
    expect(report.droppedTagsNotListed).toBe(4);
    expect(report.tagged).toBe(6);
  });
});

describe('text that is not UTF-8', () => {
  const bytes = (...parts: (string | number[])[]) =>
    new Uint8Array(
      parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part)] : part)),
    );

  it('names Latin-1 only when a lone high byte fits it, and says what else is wrong', async () => {
    const cases: [Uint8Array, string][] = [
      [bytes('{"prompt": "caf', [0xe9], '"}\n'), 'it looks like Latin-1/Windows-1252'],
      [
        bytes('{"prompt": "', [0x93], 'quoted', [0x94], '"}\n'),
        'it looks like Latin-1/Windows-1252',
      ],
      [
        bytes('{"prompt": "5 ', [0xe2, 0x82], ' euros"}\n'),
        'a 3-byte character begun by 0xE2 0x82 is cut short by 0x20',
      ],
      [bytes('{"prompt": "', [0x81], '"}\n'), 'byte 0x81 continues a character that never started'],
      [bytes('{"prompt": "', [0xe9, 0x80], '"}\n'), 'a 3-byte character begun by 0xE9 0x80'],
      [bytes('{"prompt": "', [0xc0, 0x80], '"}\n'), 'byte 0xC0 never occurs in UTF-8'],
      [bytes('{"prompt": "', [0xe0, 0x80, 0x80], '"}\n'), '0xE0 0x80 is an overlong encoding'],
      [
        bytes('{"prompt": "', [0xed, 0xa0, 0x80], '"}\n'),
        '0xED 0xA0 encodes half of a UTF-16 surrogate pair',
      ],
      [bytes('{"prompt": "', [0xf4, 0x90, 0x80, 0x80], '"}\n'), 'a code point above U+10FFFF'],
      [
        bytes('{"prompt": "x"}\n{"prompt": "', [0xf0, 0x9f, 0x98]),
        'the file ends inside a 4-byte character (truncated?)',
      ],
    ];
    for (const [content, description] of cases) {
      const message = await fileError('t.jsonl', content);
      expect(message).toMatch(/^t\.jsonl is not UTF-8 text \(invalid byte at offset \d+\); /);
      expect(message).toContain(description);
      if (!description.startsWith('it looks like')) expect(message).not.toContain('Latin-1');
    }
  });

  it('recognises UTF-16 with or without a byte order mark and says how to convert it', async () => {
    const text = '{"prompt": "Hello", "tags": ["greeting"]}\n';
    const le = new Uint8Array(Buffer.from(text, 'utf16le'));
    const be = le.map((_, i) => le[i ^ 1]);
    expect(await fileError('le.jsonl', le)).toBe(
      'le.jsonl is UTF-16 text; re-save it as UTF-8, for example with iconv -f UTF-16LE -t UTF-8 (it is little-endian, without a byte order mark)',
    );
    expect(await fileError('be.jsonl', be)).toContain('iconv -f UTF-16BE -t UTF-8');
    expect(await fileError('bom.csv', bytes([0xff, 0xfe], [...le]))).toContain(
      'iconv -f UTF-16 -t UTF-8 (it starts with a little-endian byte order mark)',
    );
    // Chinese text is mostly non-zero bytes, but JSON's keys and punctuation still show.
    const chinese = new Uint8Array(Buffer.from('{"prompt": "编程能力与逻辑推理"}\n', 'utf16le'));
    expect(await fileError('zh.jsonl', chinese)).toContain('is UTF-16 text');
  });
});

describe('an import resumed part-way', () => {
  // More than the 50 rows held back for the layout guess.
  const rows = Array.from({ length: 120 }, (_, k) => ({
    id: k % 7 === 0 ? 'same' : `r${k}`,
    prompt: k === 11 ? 42 : `p${k}`,
    tags: [`t${k % 5}`],
  }));
  const text = jsonl(rows);

  it('hands over only the samples after the first skipSamples, and reports as a full import', async () => {
    const full = await importRows('r.jsonl', text, { batchSize: 8 });
    const resumed = await importRows('r.jsonl', text, { batchSize: 8, skipSamples: 75 });
    expect(resumed.report).toEqual(full.report);
    expect(resumed.samples).toEqual(full.samples.slice(75));
  });

  it('tells each batch how far reading got', async () => {
    const positions: ReadPosition[] = [];
    await importCorpus(memoryFile('r.jsonl', text, 64), {
      batchSize: 8,
      onBatch: (_samples, position) => {
        positions.push(position);
      },
    });
    expect(positions.length).toBeGreaterThan(3);
    expect(positions.at(-1)).toEqual({ rowsRead: 120, bytesRead: text.length });
    for (let k = 1; k < positions.length; k++) {
      expect(positions[k].rowsRead).toBeGreaterThan(positions[k - 1].rowsRead);
    }
  });
});
