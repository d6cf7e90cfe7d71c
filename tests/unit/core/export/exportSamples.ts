// Generated samples for the export tests: single- and multi-turn, with a system message, and
// with text a file format, a spreadsheet or a hub could take for structure (quotes, commas, line
// breaks, markup, a formula, a `User:` line inside a turn).
import type { GeneratedSample } from '../../../../src/core/synthesis/generatedSample';

const base: GeneratedSample = {
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
  parameters: { top_p: 0.9, temperature: 0.7, max_tokens: 512, stop: null },
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

export const exportSamples: GeneratedSample[] = [
  base,
  {
    ...base,
    id: 'run-a:1',
    skills: ['regex', 'sql', 'poetry'],
    k: 3,
    combination: {
      skills: ['regex', 'sql', 'poetry'],
      score: 2.25,
      lowestCommonNode: { level: 0, community: 0 },
    },
    atomicSampleIds: ['c-3', 'c-4', 'c-5'],
    messages: [
      { role: 'system', content: 'Be brief, "exact", and, well, <b>bold</b>.' },
      { role: 'user', content: '=SUM(A1:A9)\r\nthen a line\nUser: not a new turn' },
      { role: 'assistant', content: 'A1, with "quotes" and\ttabs' },
      { role: 'user', content: 'Q2 </script><script>alert(1)</script>' },
      { role: 'assistant', content: 'A2 ✓ 🚀' },
    ],
    seed: 4_000_000_000,
    usage: {
      promptTokens: 90,
      completionTokens: 61,
      timeToFirstTokenMs: 12.5,
      tokensPerSecond: 30,
    },
    repairs: [],
  },
  {
    ...base,
    id: 'run-a:2',
    messages: [
      { role: 'system', content: 'S' },
      { role: 'user', content: 'U' },
      { role: 'assistant', content: 'A' },
    ],
    usage: { promptTokens: 70, completionTokens: 5, timeToFirstTokenMs: 3, tokensPerSecond: null },
  },
];
