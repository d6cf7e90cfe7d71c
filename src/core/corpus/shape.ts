import { parseStructuredText } from './structuredText';

/** The row layouts the importer knows; `generic` is a prompt field plus an optional response field. */
export type CorpusShape =
  | 'infinity-instruct'
  | 'sharegpt'
  | 'openai'
  | 'alpaca'
  | 'ifeval'
  | 'instruct-skillmix'
  | 'generic';

export type Row = Record<string, unknown>;

export interface ShapeGuess {
  shape: CorpusShape;
  /** The fields the messages are built from, e.g. ["conversations"] or ["instruction", "input", "output"]. */
  textFields: string[];
}

/** Prompt-like and response-like field names for generic rows, best first (matched ignoring case). */
const PROMPT_FIELDS = ['prompt', 'instruction', 'question', 'query', 'input', 'text'];
const RESPONSE_FIELDS = ['response', 'output', 'answer', 'completion', 'chosen'];

const ABILITY_KEYS = ['ability_en', 'ability_zh', 'cate_ability_en', 'cate_ability_zh'];

/** Fields that name a row rather than describe it. */
export const ID_FIELDS = ['id', 'key', 'idx', '_id', 'uuid'];

export function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A row's own field: never one every object inherits, such as `constructor` or `toString`. */
export function fieldOf(row: Row, name: string): unknown {
  return Object.hasOwn(row, name) ? row[name] : undefined;
}

function hasAbilityLabel(row: Row): boolean {
  const label = typeof row.label === 'string' ? parseStructuredText(row.label) : row.label;
  return isRow(label) && ABILITY_KEYS.some((key) => key in label);
}

function rowShape(row: Row): CorpusShape {
  if (Array.isArray(row.conversations)) {
    return hasAbilityLabel(row) ? 'infinity-instruct' : 'sharegpt';
  }
  if (Array.isArray(row.messages)) return 'openai';
  if (typeof row.prompt === 'string' && Array.isArray(row.instruction_id_list)) return 'ifeval';
  if (typeof row.instruction === 'string') {
    if (typeof row.skills_joined_str === 'string') return 'instruct-skillmix';
    if ('output' in row) return 'alpaca';
  }
  return 'generic';
}

/** Base shapes in order of precedence when the sample rows are split evenly. */
const BASE_SHAPES: CorpusShape[] = ['sharegpt', 'openai', 'ifeval', 'alpaca', 'generic'];

/** A shape that adds tags to a base shape; rows of both count towards the base. */
const REFINED: Partial<Record<CorpusShape, CorpusShape>> = {
  sharegpt: 'infinity-instruct',
  alpaca: 'instruct-skillmix',
};

/** The actual field names among `names` that equal `wanted` ignoring case. */
function fieldsNamed(names: string[], wanted: string): string[] {
  return names.filter((name) => name.toLowerCase() === wanted);
}

function fieldNames(rows: Row[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  return [...names];
}

/** Rows in which `field` holds non-blank text. */
function textCoverage(rows: Row[], field: string): number {
  let count = 0;
  for (const row of rows) {
    const value = fieldOf(row, field);
    if (typeof value === 'string' && value.trim() !== '') count++;
  }
  return count;
}

/**
 * The best field for a role: the first listed name present as text in at least half the rows,
 * else the listed name with the widest coverage; null when none holds text.
 */
function pickField(rows: Row[], names: string[], wanted: string[]): string | null {
  let widest: string | null = null;
  let widestCoverage = 0;
  for (const name of wanted) {
    for (const field of fieldsNamed(names, name)) {
      const coverage = textCoverage(rows, field);
      if (coverage * 2 >= rows.length && coverage > 0) return field;
      if (coverage > widestCoverage) {
        widest = field;
        widestCoverage = coverage;
      }
    }
  }
  return widest;
}

/** Fallback prompt field: the text field with the longest values on average. */
function longestTextField(rows: Row[], names: string[]): string | null {
  let best: string | null = null;
  let bestLength = 0;
  for (const field of names) {
    if (ID_FIELDS.includes(field.toLowerCase())) continue;
    let total = 0;
    for (const row of rows) {
      const value = fieldOf(row, field);
      if (typeof value === 'string') total += value.trim().length;
    }
    if (total > bestLength) {
      best = field;
      bestLength = total;
    }
  }
  return best;
}

/**
 * Guesses the layout from sample rows (the first rows of the file): the shape most rows have.
 * A generic guess with no text fields means the rows hold no text the importer can find.
 */
export function detectShape(rows: Row[]): ShapeGuess {
  const counts = new Map<CorpusShape, number>();
  for (const row of rows) {
    const shape = rowShape(row);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  const count = (shape: CorpusShape | undefined): number =>
    shape === undefined ? 0 : (counts.get(shape) ?? 0);
  let base: CorpusShape = 'generic';
  let best = 0;
  for (const candidate of BASE_SHAPES) {
    const score = count(candidate) + count(REFINED[candidate]);
    if (score > best) {
      best = score;
      base = candidate;
    }
  }
  const refined = REFINED[base];
  const shape = refined !== undefined && count(refined) >= count(base) ? refined : base;
  return { shape, textFields: textFieldsFor(shape, rows) };
}

function textFieldsFor(shape: CorpusShape, rows: Row[]): string[] {
  switch (shape) {
    case 'infinity-instruct':
    case 'sharegpt':
      return ['conversations'];
    case 'openai':
      return ['messages'];
    case 'ifeval':
      return ['prompt'];
    case 'alpaca':
    case 'instruct-skillmix': {
      // `system` (LLaMA-Factory's field) is message text, never tags.
      const system = rows.some((row) => typeof fieldOf(row, 'system') === 'string');
      return ['instruction', 'input', 'output', ...(system ? ['system'] : [])];
    }
    case 'generic': {
      const names = fieldNames(rows);
      const prompt = pickField(rows, names, PROMPT_FIELDS) ?? longestTextField(rows, names);
      if (prompt === null) return [];
      const response = pickField(
        rows,
        names.filter((name) => name !== prompt),
        RESPONSE_FIELDS,
      );
      return response === null ? [prompt] : [prompt, response];
    }
  }
}
