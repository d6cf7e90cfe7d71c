import { RowRejection } from './errors';
import { fieldOf, ID_FIELDS, isRow, type Row } from './shape';
import { parseStructuredText } from './structuredText';

/** A field that could hold each row's skill tags. */
export interface TagFieldCandidate {
  /** A field name, or `parent.child` for a key inside a dict field (e.g. `label.ability_en`). */
  field: string;
  /** `list`: arrays (or list literals) of tags; `text`: a string, split at `delimiter` when set. */
  kind: 'list' | 'text';
  /** Guessed delimiter of a `text` field; null: the whole string is one tag. */
  delimiter: string | null;
  /** Sample rows with at least one tag. */
  rows: number;
  /** The first few distinct tags found, to show the user. */
  examples: string[];
}

/** Tag fields of the known corpora and common names, best first; matched ignoring case. */
const KNOWN_TAG_FIELDS = [
  // A STEPS dataset export's skills, in its provenance (stepsExport.ts).
  'steps.skills',
  'label.ability_en',
  'label.cate_ability_en',
  'label.ability_zh',
  'label.cate_ability_zh',
  'instruction_id_list',
  'skills_joined_str',
  'skills',
  'skill',
  'tags',
  'tag',
  'labels',
  'label',
  'categories',
  'category',
  'abilities',
  'ability',
  'topics',
  'topic',
  'domains',
  'domain',
];

/** Delimiters tried on string tag fields. */
const DELIMITERS = [',', ';', '|'];

/** Longer strings are text, not tags: never a skill name. */
const MAX_TAG_LENGTH = 80;
/** A delimited tag string longer than this is prose. */
const MAX_TAG_STRING_LENGTH = 400;
const EXAMPLE_COUNT = 5;
/** Rank of candidates shown to the user but never chosen by themselves. */
const OFFERED_ONLY = 4;

/**
 * The value at `path`: a field, or `parent.child` into a dict field, where the dict may be stored
 * as JSON or Python-literal text. A field whose name itself contains the dot wins.
 */
export function readField(row: Row, path: string): unknown {
  if (Object.hasOwn(row, path)) return row[path];
  const parts = path.split('.');
  if (parts.length === 1) return undefined;
  let value: unknown = row;
  for (let i = 0; i < parts.length; i++) {
    if (typeof value === 'string') {
      const parsed = parseStructuredText(value);
      if (parsed === undefined) {
        throw new RowRejection(
          `field "${parts.slice(0, i).join('.')}" is not a JSON object or a Python dict`,
        );
      }
      value = parsed;
    }
    if (!isRow(value)) return undefined;
    value = fieldOf(value, parts[i]);
  }
  return value;
}

/** A tag value the importer leaves out of a row's skills, and why (shown to the user). */
type TagItem = { tag: string } | { dropped: string } | null;

/** Leading and trailing characters that show nothing: white space, controls, format characters. */
const INVISIBLE_EDGES = /^[\s\p{Cc}\p{Cf}]+|[\s\p{Cc}\p{Cf}]+$/gu;

/** `text` without the characters at either end that show nothing (so `math` + U+200B is `math`). */
export function trimInvisible(text: string): string {
  return text.replace(INVISIBLE_EDGES, '');
}

/** The code points of a short string, for naming characters that do not show (`U+200B`). */
function codePoints(text: string): string {
  const points = [...text].map(
    (c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return points.length > 5 ? `${points.slice(0, 5).join(' ')} …` : points.join(' ');
}

/**
 * One tag value as the importer takes it: trimmed of white space and of invisible characters at
 * either end, so `math` and `math` + U+200B are one skill. Null for an empty value (dropped
 * silently); a reason for a value that cannot be a skill name.
 */
function tagItem(item: unknown): TagItem {
  if (item === null || item === undefined) return null;
  if (typeof item === 'number' || typeof item === 'bigint') {
    if (typeof item === 'number' && !Number.isFinite(item)) {
      return { dropped: `a number out of range (${String(item)})` };
    }
    return { tag: String(item) };
  }
  if (typeof item === 'boolean') return { dropped: `${String(item)} (a boolean, not a tag)` };
  if (Array.isArray(item)) return { dropped: 'a nested list' };
  if (typeof item !== 'string') return { dropped: 'an object' };
  if (item.trim() === '') return null;
  const tag = trimInvisible(item);
  if (tag === '') return { dropped: `a tag of invisible characters only (${codePoints(item)})` };
  if (tag.includes('\n'))
    return { dropped: `a tag spanning lines (${JSON.stringify(tag.slice(0, 40))}…)` };
  if (tag.length > MAX_TAG_LENGTH) {
    return {
      dropped: `a tag of ${tag.length} characters, over ${MAX_TAG_LENGTH} (${JSON.stringify(tag.slice(0, 40))}…)`,
    };
  }
  return { tag };
}

/** A row's tags and what was left out of them. */
export interface RowTags {
  /** Distinct, in file order. */
  tags: string[];
  /** Values of the tag field that are no skill names, described (`a nested list`, …). */
  dropped: string[];
}

/** The values a tag field holds: a list, a list written as text, or a string split at `delimiter`. */
function tagValues(value: unknown, delimiter: string | null): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const list = value.trimStart().startsWith('[') ? parseStructuredText(value) : undefined;
    if (Array.isArray(list)) return list;
    return delimiter ? value.split(delimiter) : [value];
  }
  return [value];
}

/**
 * The tags of one row: trimmed, empty ones dropped, repeats removed (first kept). A list is used
 * as is; a string is split at `delimiter`, or read as a list when it is a JSON/Python list literal.
 * Values that are no skill names (too long, invisible, objects, nested lists, booleans) are left
 * out and described in `dropped`; the row itself is kept.
 */
export function readTags(row: Row, field: string, delimiter: string | null): RowTags {
  const tags: string[] = [];
  const dropped: string[] = [];
  for (const item of tagValues(readField(row, field), delimiter)) {
    const taken = tagItem(item);
    if (taken === null) continue;
    if ('dropped' in taken) dropped.push(taken.dropped);
    else if (!tags.includes(taken.tag)) tags.push(taken.tag);
  }
  return { tags, dropped };
}

/** Field paths of the sample rows: top-level names, and one level into dict fields. */
function fieldPaths(rows: Row[]): string[] {
  const paths = new Set<string>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      paths.add(name);
      const dict = typeof value === 'string' ? parseStructuredText(value) : value;
      if (isRow(dict)) for (const key of Object.keys(dict)) paths.add(`${name}.${key}`);
    }
  }
  return [...paths];
}

interface Assessed {
  candidate: TagFieldCandidate;
  /** Distinct tags in the sample rows. */
  distinct: number;
  /** Every sample row has a different single tag: more likely a name than a tag. */
  allDistinct: boolean;
}

/**
 * How well `field` holds tags in the sample rows, or null when it does not. Rows whose value has
 * something that is no tag (a long text, an object, a nested list) count against the field but
 * do not rule it out: it stays a candidate while such rows are no more than the rows with tags,
 * so one stray value among fifty does not hide a tag field. Numbers alone neither count for nor
 * against it (a numeric column is no tag field, a number among tags is a tag).
 */
function assess(rows: Row[], field: string): Assessed | null {
  let lists = 0;
  let bad = 0;
  const texts: string[] = [];
  const tags: string[] = [];
  for (const row of rows) {
    let value: unknown;
    try {
      value = readField(row, field);
    } catch {
      // A row whose dict field does not parse is rejected later; it says nothing about the field.
      continue;
    }
    if (value === undefined || value === null || value === '') continue;
    const list =
      typeof value === 'string' && value.trimStart().startsWith('[')
        ? parseStructuredText(value)
        : value;
    if (Array.isArray(list)) {
      const items = list.map(tagItem).filter((item) => item !== null);
      const taken = items.flatMap((item) => ('tag' in item ? [item.tag] : []));
      if (taken.length < items.length) bad++;
      if (taken.length > 0) lists++;
      tags.push(...taken);
    } else if (typeof value === 'string') {
      if (value.length > MAX_TAG_STRING_LENGTH || value.includes('\n')) bad++;
      else texts.push(value);
    } else if (typeof value !== 'number' && typeof value !== 'bigint') {
      bad++;
    }
  }

  let delimiter: string | null = null;
  let delimited = 0;
  for (const candidate of DELIMITERS) {
    const count = texts.filter((text) => text.includes(candidate)).length;
    if (count > delimited) {
      delimiter = candidate;
      delimited = count;
    }
  }
  let taggedTexts = 0;
  for (const text of texts) {
    const items = (delimiter ? text.split(delimiter) : [text])
      .map(tagItem)
      .filter((item) => item !== null);
    const taken = items.flatMap((item) => ('tag' in item ? [item.tag] : []));
    if (taken.length < items.length) bad++;
    if (taken.length > 0) taggedTexts++;
    tags.push(...taken);
  }
  const tagged = lists + taggedTexts;
  if (tagged === 0 || bad > tagged) return null;
  const distinct = [...new Set(tags)];
  const kind = lists >= taggedTexts ? 'list' : 'text';
  return {
    candidate: {
      field,
      kind,
      delimiter: kind === 'text' ? delimiter : null,
      rows: tagged,
      examples: distinct.slice(0, EXAMPLE_COUNT),
    },
    distinct: distinct.length,
    allDistinct:
      kind === 'text' && delimiter === null && taggedTexts >= 5 && distinct.length === taggedTexts,
  };
}

export interface TagFieldChoice {
  /** The field to use unless the user picks another; null when no field looks like tags. */
  guess: TagFieldCandidate | null;
  /** Every field that could hold tags, the guess first. */
  candidates: TagFieldCandidate[];
  /** Every field path of the sample rows, for the user to pick one that does not look like tags. */
  fields: string[];
}

/**
 * Fields of the sample rows that could hold tags. The guess is the best of: known tag fields,
 * lists of short strings, delimited strings of short tokens. Undelimited short strings that
 * repeat (a category-like column) are offered but never guessed. `textFields` (the message
 * fields) and id fields are never candidates.
 */
export function findTagFields(rows: Row[], textFields: string[]): TagFieldChoice {
  const ranked: { candidate: TagFieldCandidate; tier: number; order: number }[] = [];
  const paths = fieldPaths(rows);
  paths.forEach((field, position) => {
    const top = field.split('.')[0];
    if (textFields.includes(top) || ID_FIELDS.includes(field.toLowerCase())) return;
    const assessed = assess(rows, field);
    if (assessed === null) return;
    const { candidate, distinct, allDistinct } = assessed;
    // More rows with a value first, then file order.
    const byCoverage = position - candidate.rows * paths.length;
    const known = KNOWN_TAG_FIELDS.indexOf(field.toLowerCase());
    if (known >= 0) ranked.push({ candidate, tier: allDistinct ? 1 : 0, order: known });
    else if (candidate.kind === 'list') ranked.push({ candidate, tier: 2, order: byCoverage });
    else if (candidate.delimiter !== null) ranked.push({ candidate, tier: 3, order: byCoverage });
    else if (distinct > 1 && distinct < candidate.rows) {
      ranked.push({ candidate, tier: OFFERED_ONLY, order: byCoverage });
    }
  });
  ranked.sort((a, b) => a.tier - b.tier || a.order - b.order);
  const best = ranked[0];
  return {
    guess: best !== undefined && best.tier < OFFERED_ONLY ? best.candidate : null,
    candidates: ranked.map((entry) => entry.candidate),
    fields: paths,
  };
}
