import type { ChatMessage } from '../corpus/sample';
import type { SkillGraph } from '../graph/skillGraph';
import type { EncodingTree } from './encodingTree';
import { parseJsonObject } from '../synthesis/lenientJson';

/**
 * Names for taxonomy nodes: asked from the model given the node's most central skills, or, without
 * a model, made of those skills.
 */
export const NAMING_SYSTEM = 'You name groups of skills. You answer with JSON only.';
export const MAX_NAME_WORDS = 4;
export const MAX_NAME_CHARS = 40;

/** The skills of a tree node: level 0 is the root (every skill). */
export function communityMembers(tree: EncodingTree, level: number, community: number): number[] {
  if (!Number.isInteger(level) || level < 0 || level > tree.height) {
    throw new Error(`level: must be an integer from 0 to ${tree.height}, got ${level}`);
  }
  const members: number[] = [];
  for (let skill = 0; skill < tree.skillCount; skill++) {
    if (level === 0 || tree.communityOf[level - 1][skill] === community) members.push(skill);
  }
  return members;
}

/**
 * The members ordered by centrality within the node: the summed weight of their edges to other
 * members, then by samples carrying the skill, then by id. At most `limit`.
 */
export function centralSkills(
  graph: SkillGraph,
  members: readonly number[],
  limit: number,
): number[] {
  const inside = new Uint8Array(graph.names.length);
  for (const m of members) inside[m] = 1;
  const strength = new Float64Array(graph.names.length);
  for (const m of members) {
    for (let e = graph.offsets[m]; e < graph.offsets[m + 1]; e++) {
      if (inside[graph.targets[e]]) strength[m] += graph.weights[e];
    }
  }
  return [...members]
    .sort((a, b) => strength[b] - strength[a] || graph.counts[b] - graph.counts[a] || a - b)
    .slice(0, limit);
}

/** The naming prompt, from the node's most central skill names (most central first). */
export function buildNamingMessages(skills: readonly string[]): ChatMessage[] {
  if (skills.length === 0) throw new Error('a node needs at least one skill to be named');
  return [
    { role: 'system', content: NAMING_SYSTEM },
    {
      role: 'user',
      content: `These skills form one group, most central first: ${skills.join(', ')}.
Give the group a short name of 1 to 4 words that covers them.
Answer with one JSON object only, like: {"name": "Data analysis"}`,
    },
  ];
}

/**
 * Reads the model's name: `{"name": …}` (leniently parsed), else, when the answer has no `{` at
 * all, the first non-empty line of the answer with a `Name:` prefix, quotes and a final full stop removed. 1–4 words, at most 40
 * characters.
 */
export function parseNodeName(
  raw: string,
): { ok: true; name: string; repaired: string[] } | { ok: false; reason: string } {
  const parsed = parseJsonObject(raw);
  let name: string;
  let repaired: string[];
  if (parsed.ok) {
    if (typeof parsed.value.name !== 'string') {
      return { ok: false, reason: 'the JSON object has no "name" string' };
    }
    name = parsed.value.name.trim();
    repaired = parsed.repaired;
  } else if (raw.includes('{')) {
    return parsed;
  } else {
    const line = raw.split('\n').find((l) => l.trim() !== '');
    if (line === undefined) return { ok: false, reason: 'the output is empty' };
    name = line
      .trim()
      .replace(/^name\s*:\s*/i, '')
      .replace(/\.$/, '')
      .replace(/^["'“‘`*]+|["'”’`*]+$/g, '')
      .replace(/\.$/, '')
      .trim();
    repaired = ['plain text read as the name'];
  }
  const words = name.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { ok: false, reason: 'the name is empty' };
  if (words.length > MAX_NAME_WORDS) {
    return { ok: false, reason: `the name has ${words.length} words, more than ${MAX_NAME_WORDS}` };
  }
  if (name.length > MAX_NAME_CHARS) {
    return {
      ok: false,
      reason: `the name has ${name.length} characters, more than ${MAX_NAME_CHARS}`,
    };
  }
  return { ok: true, name: words.join(' '), repaired };
}

/**
 * The name of a node without a model: its `shown` most central skills joined by `, `, plus
 * `+n` for the n further members, e.g. `python_programming, debugging +5`.
 */
export function fallbackNodeName(
  centralNames: readonly string[],
  memberCount: number,
  shown = 2,
): string {
  const names = centralNames.slice(0, shown);
  if (names.length === 0) return 'empty';
  const more = memberCount - names.length;
  return more > 0 ? `${names.join(', ')} +${more}` : names.join(', ');
}
