import type { ChatMessage } from '../corpus/sample';
import { trimInvisible } from '../corpus/tags';
import { renderTranscript, TRANSCRIPT_MAX_CHARS } from '../synthesis/transcript';
import { parseJsonValue } from '../synthesis/lenientJson';

/**
 * Tagging untagged corpora (InsTag-style): the model names the skills a sample needs as open
 * tags, which are then merged into a controlled vocabulary.
 */
export const TAGGING_SYSTEM =
  'You label training data for chat assistants. You answer with JSON only.';

export const DEFAULT_TAGGING_MAX_CHARS = TRANSCRIPT_MAX_CHARS;
export const MAX_TAGS = 10;
export const MAX_TAG_CHARS = 60;

/**
 * The tagging prompt for one sample. The conversation is shown as `User: …` / `Assistant: …`
 * lines (system messages left out); when longer than `maxChars`, every turn is cut to the same
 * share of its length, followed by ` […]`.
 */
export function buildTaggingMessages(
  messages: readonly ChatMessage[],
  maxChars = DEFAULT_TAGGING_MAX_CHARS,
): ChatMessage[] {
  if (messages.every((m) => m.role === 'system')) {
    throw new Error('the sample has no user or assistant turn to tag');
  }
  return [
    { role: 'system', content: TAGGING_SYSTEM },
    {
      role: 'user',
      content: `${renderTranscript(messages, maxChars)}

List the skills an assistant needs to answer this conversation well, as 1 to 5 short tags in snake_case, most important first.
Answer with a JSON array of strings only, like: ["python_programming", "debugging"]`,
    },
  ];
}

export type TagParse =
  { ok: true; tags: string[]; repaired: string[] } | { ok: false; reason: string };

/**
 * Reads the model's tag list: a JSON array of strings, InsTag's `[{"tag": …, "explanation": …}]`,
 * or either inside `{"tags": …}`. Tags are trimmed of white space and invisible characters (as the
 * importer trims them); repeats are dropped (first kept).
 */
export function parseTags(raw: string): TagParse {
  const parsed = parseJsonValue(raw, 'any');
  if (!parsed.ok) return parsed;
  const repaired = [...parsed.repaired];
  let list = parsed.value;
  if (!Array.isArray(list) && typeof list === 'object' && list !== null && 'tags' in list) {
    repaired.push('unwrapped "tags" field');
    list = (list as { tags: unknown }).tags;
  }
  if (!Array.isArray(list)) return { ok: false, reason: 'expected a JSON array of tags' };
  const tags: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const tag =
      typeof item === 'object' && item !== null && 'tag' in item
        ? (item as { tag: unknown }).tag
        : item;
    if (typeof tag !== 'string') return { ok: false, reason: `tag ${i + 1} is not a string` };
    const trimmed = trimInvisible(tag);
    if (trimmed === '') return { ok: false, reason: `tag ${i + 1} is empty or invisible` };
    if (trimmed.length > MAX_TAG_CHARS) {
      return {
        ok: false,
        reason: `tag ${i + 1} has ${trimmed.length} characters, more than ${MAX_TAG_CHARS}`,
      };
    }
    if (!tags.includes(trimmed)) tags.push(trimmed);
  }
  if (tags.length === 0) return { ok: false, reason: 'the tag list is empty' };
  if (tags.length > MAX_TAGS) {
    return { ok: false, reason: `${tags.length} tags, more than the limit of ${MAX_TAGS}` };
  }
  return { ok: true, tags, repaired };
}

/**
 * A tag's surface form: NFKC, lowercase, trimmed, every run of spaces, `-`, `_`, `/`, `.`, `,`,
 * `:` or `;` made one `_` (snake_case, like the demo corpus), `_` trimmed from both ends. Other
 * characters stay (so `c++` and `c#` remain distinct).
 */
export function cleanTag(tag: string): string {
  return tag
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_/.,:;]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Simple English plurals of one word: -ies → -y, -sses/-xes/-ches/-shes/-zes → drop -es, -s → drop. */
export function singularise(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (/(ss|x|ch|sh|z)es$/.test(word) && word.length > 4) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The grouping key: the cleaned tag with every word singularised. */
function tagKey(clean: string): string {
  return clean.split('_').map(singularise).join('_');
}

/** Levenshtein distance <= 1, where the differing character is not a digit (python_2 ≠ python_3). */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1) && !/\d/.test(a[i] + b[i]);
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.slice(i) === long.slice(i + 1) && !/\d/.test(long[i]);
}

export interface TagVocabulary {
  /** Every raw tag given → its canonical name (raw tags that clean to nothing are left out). */
  mapping: Map<string, string>;
  /** Canonical name → occurrences of raw tags mapped to it, most frequent first (then by name). */
  counts: Map<string, number>;
  /** Raw tags with nothing left after cleaning. */
  dropped: string[];
}

/**
 * Merges open tags into a controlled vocabulary. Tags are cleaned (cleanTag) and grouped by key
 * (every word singularised); keys are merged, transitively, when
 *  - their words are the same set (`debugging_python` = `python_debugging`), or
 *  - both have at least 6 characters and are one edit apart (not an edit of a digit).
 * Each group's canonical name is its most frequent cleaned form (by raw occurrences), ties to the
 * shorter, then the alphabetically first. Independent of input order apart from the counts.
 */
export function normaliseTags(tags: Iterable<string>): TagVocabulary {
  const rawCounts = new Map<string, number>();
  for (const tag of tags) rawCounts.set(tag, (rawCounts.get(tag) ?? 0) + 1);
  const dropped: string[] = [];
  const cleanCounts = new Map<string, number>();
  const cleanOf = new Map<string, string>();
  for (const [raw, count] of rawCounts) {
    const clean = cleanTag(raw);
    if (clean === '') {
      dropped.push(raw);
      continue;
    }
    cleanOf.set(raw, clean);
    cleanCounts.set(clean, (cleanCounts.get(clean) ?? 0) + count);
  }

  const keys = [...new Set([...cleanCounts.keys()].map(tagKey))].sort();
  const keyIndex = new Map(keys.map((key, i) => [key, i]));
  const parent = keys.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  // Candidates by shared word set and by shared single-deletion variant (symmetric delete).
  const byWordSet = new Map<string, number>();
  const byDeletion = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const wordSet = [...new Set(key.split('_'))].sort().join('_');
    const same = byWordSet.get(wordSet);
    if (same === undefined) byWordSet.set(wordSet, i);
    else union(same, i);
    if (key.length < 6) return;
    const variants = new Set([key]);
    for (let c = 0; c < key.length; c++) variants.add(key.slice(0, c) + key.slice(c + 1));
    for (const variant of variants) {
      const list = byDeletion.get(variant);
      if (list === undefined) {
        byDeletion.set(variant, [i]);
        continue;
      }
      for (const j of list) if (withinOneEdit(keys[j], key)) union(j, i);
      list.push(i);
    }
  });

  const groupBest = new Map<number, { name: string; count: number }>();
  for (const [clean, count] of cleanCounts) {
    const group = find(keyIndex.get(tagKey(clean))!);
    const best = groupBest.get(group);
    if (
      best === undefined ||
      count > best.count ||
      (count === best.count &&
        (clean.length < best.name.length ||
          (clean.length === best.name.length && clean < best.name)))
    ) {
      groupBest.set(group, { name: clean, count });
    }
  }
  const mapping = new Map<string, string>();
  const totals = new Map<string, number>();
  for (const [raw, clean] of cleanOf) {
    const name = groupBest.get(find(keyIndex.get(tagKey(clean))!))!.name;
    mapping.set(raw, name);
    totals.set(name, (totals.get(name) ?? 0) + rawCounts.get(raw)!);
  }
  const counts = new Map(
    [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  );
  return { mapping, counts, dropped };
}
