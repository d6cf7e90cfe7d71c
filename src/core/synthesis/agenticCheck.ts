import type { ChatMessage } from '../corpus/sample';
import { parseJsonObject } from './lenientJson';
import { buildSynthesisMessages, type AtomicExample, type PromptTemplate } from './prompts';

/**
 * The optional check before an agentic task: does the combination suit an agent working step by
 * step on given data? Asked once per combination of a run.
 */
export function buildAgenticCheckMessages(
  template: PromptTemplate,
  skills: readonly string[],
): ChatMessage[] {
  if (template.kind !== 'agentic-check') {
    throw new Error(`template "${template.id}" is a ${template.kind} template, not agentic-check`);
  }
  // The check shows no examples: they only supply the skill names.
  const examples: AtomicExample[] = skills.map((skill) => ({ skill, sampleId: '', messages: [] }));
  return buildSynthesisMessages(template, examples, {
    maxPromptTokens: Infinity,
    countTokens: () => 0,
  }).messages;
}

/** The JSON schema of the answer, for engines with constrained decoding. */
export const agenticVerdictSchema = {
  type: 'object',
  properties: { suitable: { type: 'boolean' }, reason: { type: 'string' } },
  required: ['suitable', 'reason'],
};

export type AgenticVerdict =
  | { ok: true; suitable: boolean; reason: string; repaired: string[] }
  | { ok: false; reason: string };

/** Reads `{"suitable": true|false, "reason": "…"}` (leniently; the reason may be missing). */
export function parseAgenticVerdict(raw: string): AgenticVerdict {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return parsed;
  const { suitable, reason } = parsed.value;
  if (typeof suitable !== 'boolean') {
    return { ok: false, reason: 'the answer has no "suitable": true or false' };
  }
  return {
    ok: true,
    suitable,
    reason: typeof reason === 'string' ? reason.trim() : '',
    repaired: parsed.repaired,
  };
}
