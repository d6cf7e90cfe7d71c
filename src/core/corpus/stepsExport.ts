// Rows of a dataset STEPS Studio exported (src/core/export/), read back as a corpus: the
// provenance under `steps`, the JSON text cells of its CSV files, and the earlier turns an Alpaca
// record folds into `input`.
import { validateGeneratedSample } from '../synthesis/generatedSample';
import type { ChatMessage, SampleProvenance } from './sample';
import { fieldOf, isRow, type Row } from './shape';

/** CSV cells an export writes as JSON text (csvFile.ts). */
const JSON_CELLS = ['messages', 'conversations', 'steps'];

/**
 * The row with the JSON text of its `messages`, `conversations` and `steps` cells parsed, where
 * it parses to a list or an object (a CSV export's nested columns); other cells as they are.
 */
export function withJsonCells(row: Row): Row {
  let parsed: Row | null = null;
  for (const name of JSON_CELLS) {
    const value = fieldOf(row, name);
    if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) continue;
    try {
      const json: unknown = JSON.parse(value);
      if (typeof json === 'object' && json !== null) {
        parsed ??= { ...row };
        Object.defineProperty(parsed, name, { value: json, enumerable: true, writable: true });
      }
    } catch {
      // Not JSON: the cell stays text, and the row is read as any other.
    }
  }
  return parsed ?? row;
}

/** Parquet's int64 values (BigInt) as numbers, through lists and structs. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (isRow(value)) {
    const copy: Row = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, key, { value: plain(item), enumerable: true, writable: true });
    }
    return copy;
  }
  return value;
}

/**
 * The row's `steps` value as a sample's provenance, when it is one: the fields an export writes,
 * each valid as in a generated sample (validateGeneratedSample). Null otherwise, for a `steps`
 * field of another dataset is just a field. Parquet's `parameters` arrive as JSON text.
 */
export function readProvenance(row: Row): SampleProvenance | null {
  const value = plain(fieldOf(row, 'steps'));
  if (!isRow(value)) return null;
  let parameters: unknown = fieldOf(value, 'parameters');
  if (typeof parameters === 'string') {
    try {
      parameters = JSON.parse(parameters);
    } catch {
      return null;
    }
  }
  const rawOutput = fieldOf(value, 'rawOutput');
  const candidate = { ...value, parameters };
  const problems = validateGeneratedSample({
    ...candidate,
    messages: [],
    rawOutput: rawOutput ?? '',
  }).filter((problem) => !problem.startsWith('messages'));
  if (problems.length > 0 || 'checks' in value) return null;
  if (rawOutput === undefined || rawOutput === null) {
    delete (candidate as Row).rawOutput;
  }
  return candidate as unknown as SampleProvenance;
}

const LABELS: Record<'user' | 'assistant', string> = { user: 'User: ', assistant: 'Assistant: ' };

/**
 * The earlier turns an Alpaca export folded into `input` (`User: …` / `Assistant: …` joined by
 * "\n", user first, alternating); null when `input` is not such a transcript. A turn ends where
 * the next speaker's label starts a line, so a turn whose own text has a line starting with the
 * next speaker's label is cut there.
 */
export function unfoldTranscript(input: string): ChatMessage[] | null {
  if (!input.startsWith(LABELS.user)) return null;
  const turns: ChatMessage[] = [];
  let role: 'user' | 'assistant' = 'user';
  let at = 0;
  while (at < input.length) {
    const start = at + LABELS[role].length;
    const next: 'user' | 'assistant' = role === 'user' ? 'assistant' : 'user';
    const end = input.indexOf(`\n${LABELS[next]}`, start);
    turns.push({ role, content: input.slice(start, end < 0 ? input.length : end) });
    if (end < 0) break;
    at = end + 1;
    role = next;
  }
  // The folded turns end with an assistant turn: the last pair is instruction and output.
  return turns.length % 2 === 0 ? turns : null;
}
