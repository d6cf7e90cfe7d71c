import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { ChatMessage } from '../../../src/core/corpus/sample';
import { mulberry32 } from '../../../src/core/random/mulberry32';
import {
  assignAtomicSamples,
  drawAtomicExamples,
} from '../../../src/core/synthesis/atomicAssignment';
import { buildSynthesisMessages, defaultTemplates } from '../../../src/core/synthesis/prompts';
import {
  FINGERPRINT_LINE,
  promptFormatFingerprint,
} from '../../../scripts/fixture-model/promptFormat';
import { generateGreedy } from '../../../scripts/fixture-model/evaluate';
import { settings } from '../../../scripts/fixture-model/settings';

// The committed fixture model (scripts/fixture-model), loaded by transformers.js from disk only.
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const MODEL = 'steps-fixture';
const { maxPromptTokens: MAX_PROMPT_TOKENS, maxNewTokens: MAX_NEW_TOKENS } = settings;

interface DemoRow {
  id: string;
  messages: ChatMessage[];
  skills: string[];
}

function fusionPrompt(tokenizer: PreTrainedTokenizer, skills: string[]): ChatMessage[] {
  const corpus = readFileSync(resolve(root, 'public/demo/demo-corpus.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DemoRow);
  const assignment = assignAtomicSamples(corpus, { seed: 1 });
  const { picks, missing } = drawAtomicExamples(assignment, skills, mulberry32(1));
  expect(missing).toEqual([]);
  const examples = picks.map((p) => ({
    skill: p.skill,
    sampleId: p.sampleId,
    messages: corpus.find((row) => row.id === p.sampleId)!.messages,
  }));
  return buildSynthesisMessages(defaultTemplates.fusion, examples, {
    maxPromptTokens: MAX_PROMPT_TOKENS,
    countTokens: (text) => tokenizer.encode(text, { add_special_tokens: false }).length,
  }).messages;
}

describe('fixture model steps-fixture through transformers.js', () => {
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = resolve(root, 'tests/fixtures/models') + '/';
    tokenizer = await AutoTokenizer.from_pretrained(MODEL);
    model = await AutoModelForCausalLM.from_pretrained(MODEL, { dtype: 'fp32' });
    return () => model.dispose();
  });

  it('was trained on the prompt format the code sends now (else: npm run fixture:model)', () => {
    const readme = readFileSync(resolve(root, 'tests/fixtures/models', MODEL, 'README.md'), 'utf8');
    expect(readme.match(FINGERPRINT_LINE)?.[1]).toBe(promptFormatFingerprint());
  });

  it('answers a fusion prompt for a demo combination with a JSON conversation, twice the same', async () => {
    const prompt = fusionPrompt(tokenizer, ['sql_querying', 'budgeting', 'poetry']);
    const first = await generateGreedy(tokenizer, model, prompt, MAX_NEW_TOKENS);
    const second = await generateGreedy(tokenizer, model, prompt, MAX_NEW_TOKENS);

    expect(second.text).toBe(first.text);
    // It stopped at <|im_end|> rather than at the token limit.
    expect(first.newTokens).toBeLessThan(MAX_NEW_TOKENS);
    const conversation: unknown = JSON.parse(first.text);
    expect(Array.isArray(conversation)).toBe(true);
    const turns = conversation as { role: unknown; content: unknown }[];
    expect(turns.length).toBeGreaterThanOrEqual(2);
    expect(turns.length % 2).toBe(0);
    turns.forEach((turn, i) => {
      expect(turn.role).toBe(i % 2 === 0 ? 'user' : 'assistant');
      expect(typeof turn.content).toBe('string');
      expect((turn.content as string).trim()).not.toBe('');
    });
  });
});
