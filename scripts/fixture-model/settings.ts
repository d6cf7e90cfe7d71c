/** Every number that decides the fixture model, in one place (recorded in its README). */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { ExampleKind } from './examples';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const demoCorpusPath = join(repoRoot, 'public/demo/demo-corpus.jsonl');
export const modelFolder = join(repoRoot, 'tests/fixtures/models/steps-fixture');
/** Intermediate files (training data, ids, logs); not committed. */
export const buildFolder = join(repoRoot, 'node_modules/.cache/fixture-model');

export const settings = {
  seed: 20261127,
  /** Tokenizer corpus: examples budgeted with an estimate of 4 characters per token. */
  tokenizerExamples: 2500,
  tokenizerCharsPerToken: 4,
  merges: 4000,
  /** The budget the app uses with this model: system + user tokens, as counted by its tokenizer. */
  maxPromptTokens: 448,
  /** Training prompts get budgets between this and maxPromptTokens (half at the maximum). */
  minPromptTokens: 256,
  maxPositions: 640,
  trainExamples: 8000,
  heldout: {
    fusion: 30,
    agentic: 10,
    'agentic-check': 6,
    tagging: 6,
    naming: 6,
    coverage: 10,
  } satisfies Record<ExampleKind, number>,
  model: { hiddenSize: 128, intermediateSize: 352, layers: 2, heads: 2 },
  training: { steps: 700, batch: 16, lr: 3e-3 },
  /** Greedy evaluation: new tokens per answer (the longest training answer is well below). */
  maxNewTokens: 128,
};
