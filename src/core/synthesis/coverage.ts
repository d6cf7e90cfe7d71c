import type { ChatMessage } from '../corpus/sample';
import { parseJsonValue } from './lenientJson';
import { cleanTag } from '../tagging/tagging';
import { renderTranscript, TRANSCRIPT_MAX_CHARS } from './transcript';

/**
 * The skill-coverage check: the model reads a generated conversation and lists which of the
 * combination's skills it visibly exercises.
 */
export const COVERAGE_SYSTEM =
  'You review training data for chat assistants. You answer with JSON only.';

export function buildCoverageMessages(
  skills: readonly string[],
  messages: readonly ChatMessage[],
  maxChars = TRANSCRIPT_MAX_CHARS,
): ChatMessage[] {
  if (skills.length === 0) throw new Error('the coverage check needs at least one skill');
  return [
    { role: 'system', content: COVERAGE_SYSTEM },
    {
      role: 'user',
      content: `Skills: ${skills.join(', ')}

Conversation:
${renderTranscript(messages, maxChars)}

Which of the skills does the assistant visibly use in this conversation?
Answer with one JSON object only, like: {"covered": ["skill_a", "skill_b"]}`,
    },
  ];
}

export type CoverageParse =
  | { ok: true; covered: string[]; missing: string[]; repaired: string[] }
  | { ok: false; reason: string };

/**
 * Reads the model's verdict: `{"covered": [...]}` or a bare array. Each entry is matched to a skill
 * of the combination by its cleaned form (case, spaces and separators ignored); entries matching
 * none are ignored and listed in `repaired`. `covered` and `missing` follow the combination order.
 */
export function parseCoverage(raw: string, skills: readonly string[]): CoverageParse {
  const parsed = parseJsonValue(raw, 'any');
  if (!parsed.ok) return parsed;
  const repaired = [...parsed.repaired];
  let list = parsed.value;
  if (!Array.isArray(list)) {
    if (typeof list !== 'object' || list === null || !('covered' in list)) {
      return { ok: false, reason: 'expected {"covered": [...]} with the skills used' };
    }
    list = (list as { covered: unknown }).covered;
  } else {
    repaired.push('bare array read as "covered"');
  }
  if (!Array.isArray(list)) return { ok: false, reason: '"covered" is not an array' };
  const byClean = new Map(skills.map((skill) => [cleanTag(skill), skill]));
  const found = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    if (typeof entry !== 'string') {
      return { ok: false, reason: `"covered" entry ${i + 1} is not a string` };
    }
    const skill = byClean.get(cleanTag(entry));
    if (skill === undefined) repaired.push(`ignored "${entry}", not a skill of the combination`);
    else found.add(skill);
  }
  return {
    ok: true,
    covered: skills.filter((s) => found.has(s)),
    missing: skills.filter((s) => !found.has(s)),
    repaired,
  };
}
