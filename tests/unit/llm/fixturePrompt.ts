// A prompt in the format the fixture model was trained on: what the synthesis step sends for
// one skill combination (src/core/synthesis), over the demo corpus. Its greedy answer is a JSON
// conversation of several dozen tokens, long enough to stream, cut and interrupt.
import { AutoTokenizer } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import type { ChatMessage } from '../../../src/llm/engine';
import { mulberry32 } from '../../../src/core/random/mulberry32';
import {
  assignAtomicSamples,
  drawAtomicExamples,
} from '../../../src/core/synthesis/atomicAssignment';
import { buildSynthesisMessages, defaultTemplates } from '../../../src/core/synthesis/prompts';

/** The fixture's own folder name; transformers.js must look in tests/fixtures/models/. */
export const FIXTURE_MODEL = 'steps-fixture';
export const fixtureModelsFolder = new URL('../../fixtures/models/', import.meta.url);

export async function fixtureFusionPrompt(skills: string[]): Promise<ChatMessage[]> {
  const tokenizer = await AutoTokenizer.from_pretrained(FIXTURE_MODEL);
  const corpus = readFileSync(
    new URL('../../../public/demo/demo-corpus.jsonl', import.meta.url),
    'utf8',
  )
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; messages: ChatMessage[]; skills: string[] });
  const assignment = assignAtomicSamples(corpus, { seed: 1 });
  const { picks } = drawAtomicExamples(assignment, skills, mulberry32(1));
  const examples = picks.map((pick) => ({
    skill: pick.skill,
    sampleId: pick.sampleId,
    messages: corpus.find((row) => row.id === pick.sampleId)!.messages,
  }));
  return buildSynthesisMessages(defaultTemplates.fusion, examples, {
    maxPromptTokens: 448,
    countTokens: (text) => tokenizer.encode(text, { add_special_tokens: false }).length,
  }).messages;
}
