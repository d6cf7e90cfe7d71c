/**
 * Greedy answers of the exported fixture model, through transformers.js in Node, on the held-out
 * prompts: how often each kind of answer is valid JSON of the asked shape, how often a fusion
 * answer names every skill of its prompt, and decoding speed.
 */
import { basename, dirname } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import type { ChatMessage } from '../../src/core/corpus/sample';
import { parseConversation } from '../../src/core/synthesis/parseConversation';
import type { ExampleKind, FixtureExample } from './examples';

export interface KindReport {
  prompts: number;
  /** JSON.parse succeeds and the value has the shape the prompt asks for. */
  valid: number;
  /** The app's lenient parser accepts the answer (conversations only). */
  acceptedByApp: number;
  /** Every skill of the prompt appears in the answer (conversations only). */
  allSkillsNamed: number;
  /** The answer is the trained one (checks, tags, names: JSON equal to the templated answer). */
  asTrained: number;
}

export interface EvaluationReport {
  byKind: Partial<Record<ExampleKind, KindReport>>;
  generatedTokens: number;
  /** Most new tokens in one answer (equal to maxNewTokens when an answer never ended). */
  longestAnswer: number;
  generationSeconds: number;
  tokensPerSecond: number;
  samples: { kind: ExampleKind; skills: string[]; output: string }[];
}

export async function loadFixture(
  folder: string,
): Promise<{ tokenizer: PreTrainedTokenizer; model: PreTrainedModel }> {
  env.allowRemoteModels = false;
  env.localModelPath = dirname(folder) + '/';
  const name = basename(folder);
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32' });
  return { tokenizer, model };
}

/** Greedy answer to chat messages; returns the text and the number of new tokens. */
export async function generateGreedy(
  tokenizer: PreTrainedTokenizer,
  model: PreTrainedModel,
  messages: ChatMessage[],
  maxNewTokens: number,
): Promise<{ text: string; newTokens: number }> {
  const inputs = tokenizer.apply_chat_template(messages, {
    add_generation_prompt: true,
    return_dict: true,
  }) as { input_ids: Tensor; attention_mask: Tensor };
  const output = (await model.generate({
    ...inputs,
    max_new_tokens: maxNewTokens,
    do_sample: false,
  })) as Tensor;
  const promptLength = inputs.input_ids.dims[1];
  const ids = (output.tolist() as bigint[][])[0].slice(promptLength).map(Number);
  return { text: tokenizer.decode(ids, { skip_special_tokens: true }), newTokens: ids.length };
}

function isConversation(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < 2 || value.length % 2 !== 0) return false;
  return value.every(
    (m, i) =>
      typeof m === 'object' &&
      m !== null &&
      (m as { role?: unknown }).role === (i % 2 === 0 ? 'user' : 'assistant') &&
      typeof (m as { content?: unknown }).content === 'string' &&
      (m as { content: string }).content.trim() !== '',
  );
}

/** Whether `output` is JSON of the shape a prompt of `kind` asks for. */
export function validAnswer(kind: ExampleKind, output: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return false;
  }
  switch (kind) {
    case 'fusion':
    case 'agentic':
      return isConversation(value);
    case 'tagging':
      return Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'string');
    case 'naming':
      return typeof (value as { name?: unknown } | null)?.name === 'string';
    case 'coverage':
      return (
        Array.isArray((value as { covered?: unknown } | null)?.covered) &&
        (value as { covered: unknown[] }).covered.every((s) => typeof s === 'string')
      );
    case 'agentic-check':
      return (
        typeof (value as { suitable?: unknown } | null)?.suitable === 'boolean' &&
        typeof (value as { reason?: unknown }).reason === 'string'
      );
  }
}

export async function evaluate(
  folder: string,
  examples: FixtureExample[],
  maxNewTokens: number,
): Promise<EvaluationReport> {
  const { tokenizer, model } = await loadFixture(folder);
  const byKind: Partial<Record<ExampleKind, KindReport>> = {};
  const samples: EvaluationReport['samples'] = [];
  let generatedTokens = 0;
  let longestAnswer = 0;
  let generationSeconds = 0;
  for (const example of examples) {
    const started = performance.now();
    const { text, newTokens } = await generateGreedy(
      tokenizer,
      model,
      example.prompt,
      maxNewTokens,
    );
    generationSeconds += (performance.now() - started) / 1000;
    generatedTokens += newTokens;
    longestAnswer = Math.max(longestAnswer, newTokens);
    const report = (byKind[example.kind] ??= {
      prompts: 0,
      valid: 0,
      acceptedByApp: 0,
      allSkillsNamed: 0,
      asTrained: 0,
    });
    report.prompts++;
    if (validAnswer(example.kind, text)) report.valid++;
    if (example.kind === 'fusion' || example.kind === 'agentic') {
      if (parseConversation(text).ok) report.acceptedByApp++;
      if (example.skills.every((skill) => text.includes(skill))) report.allSkillsNamed++;
    } else if (validAnswer(example.kind, text)) {
      if (JSON.stringify(JSON.parse(text)) === JSON.stringify(JSON.parse(example.answer))) {
        report.asTrained++;
      }
    }
    if (samples.filter((s) => s.kind === example.kind).length < 2) {
      samples.push({ kind: example.kind, skills: example.skills, output: text });
    }
  }
  await model.dispose();
  return {
    byKind,
    generatedTokens,
    longestAnswer,
    generationSeconds: Math.round(generationSeconds * 10) / 10,
    tokensPerSecond: Math.round(generatedTokens / generationSeconds),
    samples,
  };
}
