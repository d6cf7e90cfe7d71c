/**
 * Writes the fixture model's prompt/answer pairs as JSONL, built with the app's prompt code over
 * the demo corpus (see examples.ts).
 *
 *   npx tsx scripts/fixture-model/make-training-data.ts --out <file.jsonl> [--tokenizer <folder>]
 *
 * Without --tokenizer: the tokenizer corpus (budgets estimated at 4 characters per token).
 * With --tokenizer: the training and held-out set, budgeted in that tokenizer's tokens.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExamples, readDemoCorpus, type FixtureExample } from './examples';
import { demoCorpusPath, settings } from './settings';
import { pieceCachedCounter, loadTokenizer } from './tokenCounter';

export async function makeTrainingData(
  out: string,
  tokenizerFolder?: string,
): Promise<FixtureExample[]> {
  const corpus = readDemoCorpus(demoCorpusPath);
  const noHeldout = {
    fusion: 0,
    agentic: 0,
    'agentic-check': 0,
    tagging: 0,
    naming: 0,
    coverage: 0,
  };
  const examples = tokenizerFolder
    ? generateExamples(corpus, {
        seed: settings.seed,
        trainCount: settings.trainExamples,
        heldout: settings.heldout,
        maxPromptTokens: settings.maxPromptTokens,
        minPromptTokens: settings.minPromptTokens,
        countTokens: pieceCachedCounter(await loadTokenizer(tokenizerFolder)),
      })
    : generateExamples(corpus, {
        seed: settings.seed + 1,
        trainCount: settings.tokenizerExamples,
        heldout: noHeldout,
        maxPromptTokens: settings.maxPromptTokens,
        minPromptTokens: settings.minPromptTokens,
        countTokens: (text) => Math.ceil(text.length / settings.tokenizerCharsPerToken),
      });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return examples;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = argument('--out');
  if (!out) {
    console.error('usage: make-training-data.ts --out <file.jsonl> [--tokenizer <folder>]');
    process.exit(2);
  }
  const tokenizer = argument('--tokenizer');
  const examples = await makeTrainingData(resolve(out), tokenizer && resolve(tokenizer));
  console.log(`${examples.length} examples written to ${out}`);
}
