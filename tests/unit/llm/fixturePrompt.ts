// A prompt in the format the fixture model was trained on: what the synthesis step sends for
// one skill combination (src/core/synthesis), over the demo corpus. Its greedy answer is a JSON
// conversation of several dozen tokens, long enough to stream, cut and interrupt.
import { AutoTokenizer } from '@huggingface/transformers';
import type { ChatMessage } from '../../../src/llm/engine';
import { mulberry32 } from '../../../src/core/random/mulberry32';
import {
  assignAtomicSamples,
  drawAtomicExamples,
} from '../../../src/core/synthesis/atomicAssignment';
import { buildSynthesisMessages, defaultTemplates } from '../../../src/core/synthesis/prompts';
import { readDemoCorpus } from '../fixtures';

export { FIXTURE_MODEL, fixtureModelsFolder } from '../fixtures';

export async function fixtureFusionPrompt(skills: string[]): Promise<ChatMessage[]> {
  const tokenizer = await AutoTokenizer.from_pretrained('steps-fixture');
  const corpus = readDemoCorpus();
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
