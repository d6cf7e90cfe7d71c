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
  /** Sample rows with a non-empty value. */
  rows: number;
  /** The first few distinct tags found, to show the user. */
  examples: string[];
}

/** Tag fields of the known corpora and common names, best first; matched ignoring case. */
const KNOWN_TAG_FIELDS = [
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

/** Longer strings are text, not tags. */
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

function splitTags(items: unknown[], field: string): string[] {
  const tags: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') tags.push(item);
    else if (typeof item === 'number') tags.push(String(item));
    else throw new RowRejection(`field "${field}" must be a string or a list of strings`);
  }
  return tags;
}

/**
 * The tags of one row: trimmed, empty ones dropped, repeats removed (first kept). A list is used
 * as is; a string is split at `delimiter`, or read as a list when it is a JSON/Python list literal.
 */
export function readTags(row: Row, field: string, delimiter: string | null): string[] {
  const value = readField(row, field);
  let raw: string[];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    raw = splitTags(value, field);
  } else if (typeof value === 'string') {
    const list = value.trimStart().startsWith('[') ? parseStructuredText(value) : undefined;
    if (Array.isArray(list)) raw = splitTags(list, field);
    else raw = delimiter ? value.split(delimiter) : [value];
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    raw = [String(value)];
  } else {
    throw new RowRejection(`field "${field}" must be a string or a list of strings`);
  }
  const tags: string[] = [];
  for (const item of raw) {
    const tag = item.trim();
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

function isShortTag(item: unknown): boolean {
  if (typeof item === 'number') return true;
  return typeof item === 'string' && item.length <= MAX_TAG_LENGTH && !item.includes('\n');
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

function assess(rows: Row[], field: string): Assessed | null {
  let lists = 0;
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
      if (!list.every(isShortTag)) return null;
      if (list.length === 0) continue;
      lists++;
      for (const item of list) tags.push(String(item).trim());
    } else if (typeof value === 'string') {
      if (value.length > MAX_TAG_STRING_LENGTH || value.includes('\n')) return null;
      texts.push(value);
    } else {
      return null;
    }
  }
  if (lists + texts.length === 0) return null;

  let delimiter: string | null = null;
  let delimited = 0;
  for (const candidate of DELIMITERS) {
    const count = texts.filter((text) => text.includes(candidate)).length;
    if (count > delimited) {
      delimiter = candidate;
      delimited = count;
    }
  }
  for (const text of texts) {
    for (const part of delimiter ? text.split(delimiter) : [text]) {
      const tag = part.trim();
      if (tag.length > MAX_TAG_LENGTH) return null;
      tags.push(tag);
    }
  }
  const distinct = [...new Set(tags.filter((tag) => tag !== ''))];
  const kind = lists >= texts.length ? 'list' : 'text';
  return {
    candidate: {
      field,
      kind,
      delimiter: kind === 'text' ? delimiter : null,
      rows: lists + texts.length,
      examples: distinct.slice(0, EXAMPLE_COUNT),
    },
    distinct: distinct.length,
    allDistinct:
      kind === 'text' &&
      delimiter === null &&
      texts.length >= 5 &&
      distinct.length === texts.length,
  };
}

export interface TagFieldChoice {
  /** The field to use unless the user picks another; null when no field looks like tags. */
  guess: TagFieldCandidate | null;
  /** Every field that could hold tags, the guess first. */
  candidates: TagFieldCandidate[];
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
  };
}
