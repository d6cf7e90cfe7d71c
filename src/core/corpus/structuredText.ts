import { parsePythonLiteral } from './pythonLiteral';

/** A container written Python-style: its first item is a single-quoted string. */
const PYTHON_STYLE = /^[[{(]\s*'/;

/**
 * A dict or list stored as text, written either as JSON or as a Python literal (`str(dict)`,
 * single quotes, True/False/None). Returns undefined when the text is neither.
 */
export function parseStructuredText(text: string): unknown {
  const trimmed = text.trim();
  const first = trimmed[0];
  if (first !== '{' && first !== '[' && first !== '(') return undefined;
  if (!PYTHON_STYLE.test(trimmed) && first !== '(') {
    try {
      return JSON.parse(trimmed);
    } catch {
      // Not JSON: try Python below.
    }
  }
  try {
    return parsePythonLiteral(trimmed);
  } catch {
    return undefined;
  }
}
