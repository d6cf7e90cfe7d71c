import type { ChatMessage } from '../corpus/sample';
import type { SkillGraph } from '../graph/skillGraph';
import { parseJsonObject } from '../synthesis/lenientJson';

/**
 * Names for taxonomy nodes: asked from the model given the node's most central skills, or, without
 * a model, made of those skills.
 */
export const NAMING_SYSTEM = 'You name groups of skills. You answer with JSON only.';
export const MAX_NAME_WORDS = 4;
export const MAX_NAME_CHARS = 40;

/**
 * "Central", the one measure behind a node's automatic name, the skills a model is asked to name
 * and the skills the node's panel lists: a skill's weighted degree inside its community (the
 * summed weight of its edges to other members), then the samples carrying it, then its id.
 */
function strengthInside(graph: SkillGraph, communityOf: ArrayLike<number>): Float64Array {
  const strength = new Float64Array(graph.names.length);
  for (let u = 0; u < strength.length; u++) {
    for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
      if (communityOf[graph.targets[e]] === communityOf[u]) strength[u] += graph.weights[e];
    }
  }
  return strength;
}

function byCentrality(graph: SkillGraph, strength: Float64Array) {
  return (a: number, b: number) =>
    strength[b] - strength[a] || graph.counts[b] - graph.counts[a] || a - b;
}

/**
 * For every community of one level (`communityOf`, `communityCount` as in EncodingTree), its
 * `limit` most central skills, most central first (see strengthInside), in O(n log n + m).
 */
export function centralSkillsByCommunity(
  graph: SkillGraph,
  communityOf: ArrayLike<number>,
  communityCount: number,
  limit: number,
): number[][] {
  const strength = strengthInside(graph, communityOf);
  const central: number[][] = Array.from({ length: communityCount }, () => []);
  const skills = Array.from({ length: graph.names.length }, (_, i) => i);
  for (const skill of skills.sort(byCentrality(graph, strength))) {
    const held = central[communityOf[skill]];
    if (held.length < limit) held.push(skill);
  }
  return central;
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
