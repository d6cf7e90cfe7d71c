import { describe, expect, it } from 'vitest';
import {
  exportLines,
  jsonlChunks,
  provenanceFields,
  type RecordShape,
} from '../../../../src/core/export/datasetFormats';
import { archiveRoot } from '../../../../src/core/export/manifest';
import {
  validateGeneratedSample,
  type GeneratedSample,
} from '../../../../src/core/synthesis/generatedSample';

const singleTurn: GeneratedSample = {
  id: 'run-a:0',
  runId: 'run-a',
  messages: [
    { role: 'user', content: 'Total a CSV of expenses by month.' },
    { role: 'assistant', content: 'Use csv.DictReader:\n```py\n…\n```' },
  ],
  skills: ['python', 'csv'],
  k: 2,
  combination: {
    skills: ['python', 'csv'],
    score: 1.5,
    lowestCommonNode: { level: 1, community: 2 },
  },
  atomicSampleIds: ['c-1', 'c-2'],
  template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
  model: { id: 'fixture-tiny', engine: 'transformers' },
  seed: 7,
  // Keys out of order on purpose: the export sorts them.
  parameters: { top_p: 0.9, temperature: 0.7, max_tokens: 512 },
  rawOutput: '[{"role":"user"}]',
  repairs: ['dropped text after the array'],
  usage: {
    promptTokens: 80,
    completionTokens: 40,
    timeToFirstTokenMs: null,
    tokensPerSecond: 12.5,
  },
  createdAt: '2025-01-31T12:00:00.000Z',
};

const multiTurn: GeneratedSample = {
  ...singleTurn,
  id: 'run-a:1',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Q1' },
    { role: 'assistant', content: 'A1' },
    { role: 'user', content: 'Q2 "quoted"' },
    { role: 'assistant', content: 'A2' },
  ],
};

const withSystem: GeneratedSample = {
  ...singleTurn,
  id: 'run-a:2',
  messages: [
    { role: 'system', content: 'S' },
    { role: 'user', content: 'U' },
    { role: 'assistant', content: 'A' },
  ],
};

const lines = (format: RecordShape, samples: GeneratedSample[], provenance = false) =>
  exportLines(samples, { format, includeProvenance: provenance }).lines;

describe('exportLines', () => {
  it('the crafted samples are valid generated samples', () => {
    for (const sample of [singleTurn, multiTurn, withSystem]) {
      expect(validateGeneratedSample(sample)).toEqual([]);
    }
  });

  it('openai: messages only, role before content', () => {
    expect(lines('openai', [singleTurn, multiTurn])).toEqual([
      '{"messages":[{"role":"user","content":"Total a CSV of expenses by month."},{"role":"assistant","content":"Use csv.DictReader:\\n```py\\n…\\n```"}]}',
      '{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Q1"},{"role":"assistant","content":"A1"},{"role":"user","content":"Q2 \\"quoted\\""},{"role":"assistant","content":"A2"}]}',
    ]);
  });

  it('sharegpt: system, human, gpt', () => {
    expect(lines('sharegpt', [singleTurn, withSystem])).toEqual([
      '{"conversations":[{"from":"human","value":"Total a CSV of expenses by month."},{"from":"gpt","value":"Use csv.DictReader:\\n```py\\n…\\n```"}]}',
      '{"conversations":[{"from":"system","value":"S"},{"from":"human","value":"U"},{"from":"gpt","value":"A"}]}',
    ]);
  });

  it('alpaca: single turn exactly, system in its own field, earlier turns folded into input', () => {
    const result = exportLines([singleTurn, withSystem, multiTurn], { format: 'alpaca' });
    expect(result.lines).toEqual([
      '{"instruction":"Total a CSV of expenses by month.","input":"","output":"Use csv.DictReader:\\n```py\\n…\\n```"}',
      '{"instruction":"U","input":"","output":"A","system":"S"}',
      '{"instruction":"Q2 \\"quoted\\"","input":"User: Q1\\nAssistant: A1","output":"A2","system":"Be brief."}',
    ]);
    expect(result.foldedMultiTurn).toBe(1);
  });

  it('provenance under `steps`, fixed key order, without rawOutput unless asked', () => {
    const [line] = lines('openai', [singleTurn], true);
    expect(line).toBe(
      '{"messages":[{"role":"user","content":"Total a CSV of expenses by month."},{"role":"assistant","content":"Use csv.DictReader:\\n```py\\n…\\n```"}],' +
        '"steps":{"id":"run-a:0","runId":"run-a","skills":["python","csv"],"k":2,' +
        '"combination":{"skills":["python","csv"],"score":1.5,"lowestCommonNode":{"level":1,"community":2}},' +
        '"atomicSampleIds":["c-1","c-2"],"template":{"id":"steps-fusion","kind":"fusion","version":1},' +
        '"model":{"id":"fixture-tiny","engine":"transformers"},"seed":7,' +
        '"parameters":{"max_tokens":512,"temperature":0.7,"top_p":0.9},' +
        '"repairs":["dropped text after the array"],' +
        '"usage":{"promptTokens":80,"completionTokens":40,"timeToFirstTokenMs":null,"tokensPerSecond":12.5},' +
        '"createdAt":"2025-01-31T12:00:00.000Z"}}',
    );
    const [withRaw] = exportLines([singleTurn], {
      format: 'alpaca',
      includeProvenance: true,
      includeRawOutput: true,
    }).lines;
    const parsed = JSON.parse(withRaw);
    expect(Object.keys(parsed)).toEqual(['instruction', 'input', 'output', 'steps']);
    expect(parsed.steps.rawOutput).toBe('[{"role":"user"}]');
    expect(Object.keys(parsed.steps)).toEqual(provenanceFields.map((f) => f.name));
  });

  it('key order does not depend on the stored object', () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    const shuffled = reversed(singleTurn) as GeneratedSample;
    expect(Object.keys(shuffled.messages[0])).toEqual(['content', 'role']);
    for (const format of ['openai', 'sharegpt', 'alpaca'] as const) {
      expect(lines(format, [shuffled], true)).toEqual(lines(format, [singleTurn], true));
    }
  });

  it('names the sample and field of bad input', () => {
    const badRole = { ...singleTurn, messages: [{ role: 'tool', content: 'x' }] };
    expect(() => lines('openai', [singleTurn, badRole as unknown as GeneratedSample])).toThrow(
      'sample 1 (run-a:0): messages[0] has unknown role "tool"',
    );
    const endsWithUser = {
      ...singleTurn,
      messages: [{ role: 'user', content: 'only a question' }],
    } as GeneratedSample;
    expect(() => lines('alpaca', [endsWithUser])).toThrow(
      'sample 0 (run-a:0): Alpaca needs a conversation ending with a user then assistant turn',
    );
    expect(() => exportLines([], { format: 'csv' as RecordShape })).toThrow(
      'format: must be one of openai, sharegpt, alpaca, got "csv"',
    );
  });

  it('names the archive after the dataset, run and date, safe on every system', () => {
    const date = '2025-02-02T10:00:00.000Z';
    expect(archiveRoot('demo-corpus.jsonl', ['run-1f2e'], date)).toBe(
      'demo-corpus-run-1f2e-2025-02-02',
    );
    expect(archiveRoot('Crème Brûlée / v2 (final).CSV', ['run-a', 'run-b'], date)).toBe(
      'Creme-Brulee-v2-final-2-runs-2025-02-02',
    );
    expect(archiveRoot('???', ['run:<a>|b'], date)).toBe('dataset-run-a-b-2025-02-02');
    const long = archiveRoot('x'.repeat(500), ['r'.repeat(500)], date);
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long).not.toMatch(/[/\\:*?"<>|]/);
  });

  it('jsonlChunks ends every line with a newline and counts what it wrote', async () => {
    const tally = { rows: 0, foldedMultiTurn: 0 };
    const chunks: string[] = [];
    async function* batches() {
      yield [singleTurn];
      yield [multiTurn, withSystem];
    }
    for await (const chunk of jsonlChunks(batches(), { format: 'alpaca' }, tally)) {
      chunks.push(chunk);
    }
    const expected = lines('alpaca', [singleTurn, multiTurn, withSystem]);
    expect(chunks.join('')).toBe(expected.map((line) => `${line}\n`).join(''));
    expect(chunks).toHaveLength(2);
    expect(tally).toEqual({ rows: 3, foldedMultiTurn: 1 });
  });
});
