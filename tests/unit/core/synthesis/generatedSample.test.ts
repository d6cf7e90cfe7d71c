import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  runFingerprint,
  validateGeneratedSample,
  type GeneratedSample,
} from '../../../../src/core/synthesis/generatedSample';

const valid: GeneratedSample = {
  id: 'run-1-0001',
  runId: 'run-1',
  messages: [
    { role: 'user', content: 'Write a Python script that totals a CSV of expenses by month.' },
    { role: 'assistant', content: 'Here is one using csv.DictReader: …' },
  ],
  skills: ['python_programming', 'csv_processing', 'budgeting'],
  k: 3,
  combination: {
    skills: ['python_programming', 'csv_processing', 'budgeting'],
    score: 2.75,
    lowestCommonNode: { level: 1, community: 4 },
  },
  atomicSampleIds: ['demo-0001', 'demo-0107', 'demo-0212'],
  template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
  model: { id: 'fixture-tiny', engine: 'transformers.js' },
  seed: 7,
  parameters: { temperature: 0.7, top_p: 0.95, max_tokens: 1024, repetition_penalty: 1.1 },
  rawOutput: '[{"role": "user", …}]',
  repairs: [],
  usage: {
    promptTokens: 812,
    completionTokens: 301,
    timeToFirstTokenMs: 95.5,
    tokensPerSecond: null,
  },
  createdAt: '2025-01-31T12:00:00.000Z',
};

describe('validateGeneratedSample', () => {
  it('accepts a valid sample, also after a JSON round trip', () => {
    expect(validateGeneratedSample(valid)).toEqual([]);
    expect(validateGeneratedSample(JSON.parse(JSON.stringify(valid)))).toEqual([]);
  });

  it('lists every problem, naming its field', () => {
    const broken = {
      ...valid,
      extra: 1,
      runId: '',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ],
      k: 2,
      combination: {
        ...valid.combination,
        skills: ['python_programming'],
        lowestCommonNode: { level: -1, community: 0 },
      },
      atomicSampleIds: ['demo-0001', 'demo-0001'],
      template: { id: 'steps-fusion', kind: 'remix', version: 0 },
      parameters: { temperature: 0.7, top_p: 1.5, max_tokens: 0, stop: ['x'] },
      usage: { ...valid.usage, completionTokens: 1.5 },
      createdAt: '31/01/2025',
    };
    delete (broken as Record<string, unknown>).seed;
    expect(validateGeneratedSample(broken)).toEqual([
      'extra: unknown field',
      'runId: must not be empty',
      'messages: turn 2 has role "user" but "assistant" was expected',
      'k: is 2 but skills has 3',
      'combination.skills: must equal skills',
      'combination.lowestCommonNode.level: must be >= 0',
      'atomicSampleIds: must not repeat an entry',
      'atomicSampleIds: has 2 ids but skills has 3',
      'template.kind: must be one of fusion, agentic, agentic-check',
      'template.version: must be >= 1',
      'seed: missing',
      'parameters.top_p: must be <= 1',
      'parameters.max_tokens: must be >= 1',
      'parameters.stop: must be a number, string, boolean or null',
      'usage.completionTokens: must be an integer',
      'createdAt: must be an ISO 8601 UTC time like 2025-01-31T12:00:00.000Z',
    ]);
  });

  it('checks message shapes and the top level', () => {
    expect(validateGeneratedSample([])).toEqual(['the sample is not a JSON object']);
    expect(
      validateGeneratedSample({ ...valid, messages: [{ role: 'user', content: 'a', name: 'x' }] }),
    ).toEqual(['messages[0]: must be {role: "system"|"user"|"assistant", content: string}']);
    expect(validateGeneratedSample({ ...valid, atomicSampleIds: ['demo-0001'] })).toEqual([
      'atomicSampleIds: has 1 ids but skills has 3',
    ]);
  });

  it('accepts the checks a run asked for and names what is wrong in them', () => {
    const checks = {
      agentic: { suitable: true, reason: 'An agent can total the table.' },
      coverage: { covered: ['python_programming', 'budgeting'], missing: ['csv_processing'] },
    };
    expect(validateGeneratedSample({ ...valid, checks })).toEqual([]);
    expect(
      validateGeneratedSample({
        ...valid,
        checks: {
          agentic: { suitable: false, reason: 'no data' },
          coverage: { covered: ['python_programming'], missing: ['poetry'] },
          style: {},
        },
      }),
    ).toEqual([
      'checks.style: unknown field',
      'checks.agentic.suitable: must be true',
      'checks.coverage: covered and missing together must be the skills',
    ]);
    expect(validateGeneratedSample({ ...valid, checks: [] })).toEqual([
      'checks: must be an object',
    ]);
  });
});

describe('runFingerprint', () => {
  it('is stable under key order and changes with any value', () => {
    const a = { corpus: 'demo', ks: [2, 3], model: { id: 'm', engine: 'webllm' }, seed: 1 };
    const b = { seed: 1, model: { engine: 'webllm', id: 'm' }, ks: [2, 3], corpus: 'demo' };
    expect(canonicalJson(b)).toBe(
      '{"corpus":"demo","ks":[2,3],"model":{"engine":"webllm","id":"m"},"seed":1}',
    );
    expect(runFingerprint(a)).toBe(runFingerprint(b));
    expect(runFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(runFingerprint({ ...a, ks: [3, 2] })).not.toBe(runFingerprint(a));
    expect(runFingerprint({ ...a, seed: 2 })).not.toBe(runFingerprint(a));
  });
});
