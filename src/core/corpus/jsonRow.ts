import { fieldOf, ID_FIELDS, isRow } from './shape';

const INTEGER = /^-?\d+$/;

/** Index just past the string literal that starts at `start` (a quote) in valid JSON text. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/**
 * The source text of the number that is the value of `key` in the JSON object `text` (which
 * parsed), at its top level; the last one when the key repeats, as JSON.parse takes it.
 */
function topLevelNumberText(text: string, key: string): string | null {
  let depth = 0;
  let expectingKey = false;
  let currentKey: string | null = null;
  let found: string | null = null;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && expectingKey) currentKey = JSON.parse(text.slice(i, end)) as string;
      expectingKey = false;
      i = end;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    if (depth === 1 && (c === '{' || c === ',')) expectingKey = true;
    if (depth === 1 && c === ':' && currentKey === key) {
      const start = text.slice(i + 1).search(/\S/) + i + 1;
      const length = text.slice(start).search(/[^-+.\deE]/);
      found = text.slice(start, length < 0 ? undefined : start + length);
    }
    i++;
  }
  return found;
}

/**
 * One JSON row. An id written as an integer beyond 2^53 would lose its last digits as a number
 * (9007199254740993 parses as 9007199254740992), and two ids could become one; such an id is read
 * again from the text, exactly, as a bigint.
 */
export function parseJsonRow(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!isRow(value)) return value;
  for (const name of ID_FIELDS) {
    const id = fieldOf(value, name);
    if (typeof id !== 'number' || !Number.isInteger(id) || Number.isSafeInteger(id)) continue;
    const written = topLevelNumberText(text, name);
    if (written !== null && INTEGER.test(written)) value[name] = BigInt(written);
  }
  return value;
}
