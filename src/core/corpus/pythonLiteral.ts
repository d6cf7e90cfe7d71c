/**
 * Parser for Python literals as `str(dict)` prints them: dicts, lists, tuples, quoted strings,
 * numbers, True/False/None. Corpora exported from pandas or HF `datasets` often store a dict
 * column this way (Infinity-Instruct's `label`). Nesting uses an explicit stack, not recursion.
 */

interface Container {
  items: unknown[] | Record<string, unknown>;
  closer: string;
  /** Dicts only: the key read, waiting for its value. */
  key: string | undefined;
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const STRING_PREFIX = /[uUrRbB]{0,2}(?=['"])/y;

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '0': '\0',
  '\n': '',
};

const CONSTANTS: [string, unknown][] = [
  ['True', true],
  ['False', false],
  ['None', null],
];

const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

export function parsePythonLiteral(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      // space, tab, newline, vertical tab, form feed, carriage return
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) i++;
      else return;
    }
  };

  // Position of the next backslash at or after i, searched again only once passed.
  let nextSlash = text.indexOf('\\');
  const readString = (): string => {
    let raw = false;
    if (text[i] !== "'" && text[i] !== '"') {
      STRING_PREFIX.lastIndex = i;
      const prefix = STRING_PREFIX.exec(text);
      if (!prefix) return fail('expected a value');
      raw = /r/i.test(prefix[0]);
      i += prefix[0].length;
    }
    const quote = text[i++];
    let out = '';
    for (;;) {
      const close = text.indexOf(quote, i);
      if (!raw && nextSlash >= 0 && nextSlash < i) nextSlash = text.indexOf('\\', i);
      const slash = raw ? -1 : nextSlash;
      if (close < 0) return fail('unterminated string');
      if (slash < 0 || close < slash) {
        out += text.slice(i, close);
        i = close + 1;
        return out;
      }
      out += text.slice(i, slash);
      const code = text[slash + 1];
      const digits = HEX_DIGITS[code];
      if (digits !== undefined) {
        const hex = text.slice(slash + 2, slash + 2 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) {
          i = slash;
          return fail('bad escape');
        }
        out += String.fromCodePoint(parseInt(hex, 16));
        i = slash + 2 + digits;
      } else if (code !== undefined && code in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[code];
        i = slash + 2;
      } else {
        // Python keeps unknown escapes as written.
        out += '\\';
        i = slash + 1;
      }
    }
  };

  const readScalar = (): unknown => {
    const c = text[i];
    if (c === "'" || c === '"' || /[uUrRbB]/.test(c ?? '')) return readString();
    for (const [word, value] of CONSTANTS) {
      if (text.startsWith(word, i) && !/\w/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number === null) return fail('expected a value');
    i += number[0].length;
    return Number(number[0]);
  };

  const stack: Container[] = [];
  for (;;) {
    skipSpace();
    const open = stack[stack.length - 1];
    const c = text[i];
    let value: unknown;
    if (open !== undefined && c === open.closer) {
      // An empty container, or a trailing comma before its end.
      if (open.key !== undefined) fail('missing value');
      i++;
      stack.pop();
      value = open.items;
    } else if (c === '{') {
      i++;
      stack.push({ items: {}, closer: '}', key: undefined });
      continue;
    } else if (c === '[' || c === '(') {
      i++;
      stack.push({ items: [], closer: c === '[' ? ']' : ')', key: undefined });
      continue;
    } else {
      value = readScalar();
    }

    // Hand the value to its container, closing containers that end here.
    for (;;) {
      const parent = stack[stack.length - 1];
      if (parent === undefined) {
        skipSpace();
        if (i < text.length) fail('unexpected text after the value');
        return value;
      }
      if (Array.isArray(parent.items)) {
        parent.items.push(value);
      } else if (parent.key === undefined) {
        if (typeof value === 'object' && value !== null) fail('a dict key must be a plain value');
        parent.key = String(value);
        skipSpace();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        break;
      } else {
        // Defined, not assigned: a `__proto__` key is a field like any other.
        Object.defineProperty(parent.items, parent.key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        parent.key = undefined;
      }
      skipSpace();
      if (text[i] === ',') {
        i++;
        break;
      }
      if (text[i] !== parent.closer) fail(`expected ',' or '${parent.closer}'`);
      i++;
      stack.pop();
      value = parent.items;
    }
  }
}
