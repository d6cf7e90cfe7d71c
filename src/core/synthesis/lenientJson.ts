/**
 * Lenient JSON for model answers: finds the first JSON value in free text (code fences and prose
 * around it) and parses it with the mistakes small models make tolerated, each tolerance listed by
 * name. Containers use an explicit stack, so nesting depth costs no call stack.
 */

/** Names of the repairs, listed in `repaired` in this order (documented in README.md). */
export const repairs = {
  fence: 'code fence removed',
  proseBefore: 'text before the JSON removed',
  proseAfter: 'text after the JSON removed',
  trailingComment: 'trailing comment removed',
  comments: 'comments removed',
  trailingCommas: 'trailing commas removed',
  missingCommas: 'missing commas inserted',
  singleQuotes: 'single-quoted strings',
  pythonConstants: 'Python constants True/False/None',
  unquotedKeys: 'unquoted keys',
  rawControl: 'raw line breaks or tabs inside strings',
  badEscapes: 'invalid escapes kept literally',
  innerQuotes: 'unescaped quotes inside strings',
  separateObjects: 'separate objects collected into an array',
} as const;

export type JsonParse =
  { ok: true; value: unknown; repaired: string[] } | { ok: false; reason: string };

type Open =
  | { kind: 'array'; items: unknown[] }
  | { kind: 'object'; fields: Record<string, unknown>; key: string };

type Expect = 'valueOrClose' | 'value' | 'keyOrClose' | 'key' | 'colon' | 'commaOrClose';

type ValueParse =
  | { ok: true; value: unknown; end: number }
  | { ok: false; cutOff: boolean; closer: string; message: string };

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;
const CONSTANTS: Record<string, { value: unknown; python: boolean }> = {
  true: { value: true, python: false },
  false: { value: false, python: false },
  null: { value: null, python: false },
  True: { value: true, python: true },
  False: { value: false, python: true },
  None: { value: null, python: true },
};
const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Line and column (1-based) of a position, for messages. */
function lineColumn(text: string, at: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${at - start + 1}`;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Index of the next character that is neither whitespace nor inside a comment. */
function skipSpace(text: string, from: number, used: Set<string>): number {
  let i = from;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (text.startsWith('//', i) || text[i] === '#') {
      used.add(repairs.comments);
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      used.add(repairs.comments);
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      return i;
    }
  }
}

/**
 * Reads a string starting at the quote `text[start]`. A quote that is not followed (after
 * whitespace) by `,`, `:`, `}`, `]` or the end is taken as part of the text, since models often
 * leave quotes inside a string unescaped. Returns the end (after the closing quote) or -1 when
 * the text ends inside the string.
 */
function readString(
  text: string,
  start: number,
  used: Set<string>,
): { value: string; end: number } | null {
  const quote = text[start];
  if (quote === "'") used.add(repairs.singleQuotes);
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return null;
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else if (ESCAPES[next] !== undefined) {
        if (next === "'" && quote === '"') used.add(repairs.badEscapes);
        out += ESCAPES[next];
        i += 2;
      } else {
        used.add(repairs.badEscapes);
        out += c + next;
        i += 2;
      }
    } else if (c === quote) {
      let after = i + 1;
      while (after < text.length && isSpace(text.charCodeAt(after))) after++;
      if (after >= text.length || ',:}]'.includes(text[after])) {
        return { value: out, end: i + 1 };
      }
      used.add(repairs.innerQuotes);
      out += c;
      i++;
    } else {
      if (c === '\n' || c === '\r' || c === '\t') used.add(repairs.rawControl);
      out += c;
      i++;
    }
  }
  return null;
}

/** Parses one value starting at `start` (a `[` or `{`), tolerating the listed mistakes. */
function parseValueAt(text: string, start: number, used: Set<string>): ValueParse {
  const stack: Open[] = [];
  let expect: Expect = 'value';
  let afterComma = false;
  let i = start;
  const closerOf = (open: Open) => (open.kind === 'array' ? ']' : '}');
  const fail = (message: string, at: number): ValueParse => ({
    ok: false,
    cutOff: false,
    closer: '',
    message: `${message} at ${lineColumn(text, at)}`,
  });
  const cutOff = (): ValueParse => ({
    ok: false,
    cutOff: true,
    closer: closerOf(stack[0]),
    message: '',
  });

  for (;;) {
    i = skipSpace(text, i, used);
    // The first character is an opener, so the stack is never empty here.
    if (i >= text.length) return cutOff();
    const c = text[i];
    const top = stack[stack.length - 1];

    if (expect === 'colon') {
      if (c !== ':') return fail(`expected ":" after a key, found "${c}"`, i);
      i++;
      expect = 'value';
      continue;
    }
    const closes =
      top !== undefined && c === closerOf(top) && expect !== 'value' && expect !== 'key';
    if (expect === 'commaOrClose' && !closes) {
      if (c === ',') {
        i++;
        afterComma = true;
        expect = top.kind === 'array' ? 'valueOrClose' : 'keyOrClose';
        continue;
      }
      const startsNext = top.kind === 'array' ? '[{"\''.includes(c) : '"\''.includes(c);
      if (!startsNext) return fail(`expected "," or "${closerOf(top)}", found "${c}"`, i);
      used.add(repairs.missingCommas);
      expect = top.kind === 'array' ? 'value' : 'key';
      continue;
    }
    if ((expect === 'keyOrClose' || expect === 'key') && !closes) {
      if (c === '"' || c === "'") {
        const read = readString(text, i, used);
        if (!read) return cutOff();
        (top as Extract<Open, { kind: 'object' }>).key = read.value;
        i = read.end;
      } else {
        WORD.lastIndex = i;
        const word = WORD.exec(text);
        if (!word) return fail(`expected a key or "}", found "${c}"`, i);
        used.add(repairs.unquotedKeys);
        (top as Extract<Open, { kind: 'object' }>).key = word[0];
        i += word[0].length;
      }
      expect = 'colon';
      afterComma = false;
      continue;
    }
    if (c === '[' || c === '{') {
      stack.push(
        c === '[' ? { kind: 'array', items: [] } : { kind: 'object', fields: {}, key: '' },
      );
      expect = c === '[' ? 'valueOrClose' : 'keyOrClose';
      afterComma = false;
      i++;
      continue;
    }

    // Here a value is complete: a closed container, a string, a number or a constant.
    let value: unknown;
    if (closes) {
      if (afterComma) used.add(repairs.trailingCommas);
      stack.pop();
      value = top.kind === 'array' ? top.items : top.fields;
      i++;
    } else if (c === '"' || c === "'") {
      const read = readString(text, i, used);
      if (!read) return cutOff();
      value = read.value;
      i = read.end;
    } else {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text);
      WORD.lastIndex = i;
      const word = number ? null : WORD.exec(text);
      const constant = word ? CONSTANTS[word[0]] : undefined;
      if (number) {
        value = Number(number[0]);
        i += number[0].length;
      } else if (word && constant) {
        if (constant.python) used.add(repairs.pythonConstants);
        value = constant.value;
        i += word[0].length;
      } else {
        return fail(word ? `unexpected word "${word[0]}"` : `unexpected "${c}"`, i);
      }
    }
    const parent = stack[stack.length - 1];
    if (parent === undefined) return { ok: true, value, end: i };
    if (parent.kind === 'array') parent.items.push(value);
    else parent.fields[parent.key] = value;
    expect = 'commaOrClose';
    afterComma = false;
  }
}

/**
 * Where a value plausibly starts: `[` or `{` followed (after whitespace and comments) by what such
 * a container holds.
 */
function findStart(text: string, from: number, opener: '[' | '{' | 'any'): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c !== '[' && c !== '{') continue;
    if (opener !== 'any' && c !== opener) continue;
    const next = text[skipSpace(text, i + 1, new Set())];
    if (next === undefined) return i;
    if (c === '[' ? '[{"\']'.includes(next) : '"\'}'.includes(next)) return i;
  }
  return -1;
}

function noteSurroundings(text: string, start: number, end: number, used: Set<string>): void {
  let before = text.slice(0, start);
  const fenceOpen = /```[\w-]*[ \t]*\r?\n?[ \t]*$/.exec(before);
  if (fenceOpen) {
    used.add(repairs.fence);
    before = before.slice(0, fenceOpen.index);
  }
  if (before.trim() !== '') used.add(repairs.proseBefore);
  let after = text.slice(end).trim();
  if (after.startsWith('```')) {
    used.add(repairs.fence);
    after = after.slice(3).trim();
  }
  if (after === '') return;
  used.add(/^(\/\/|#|\/\*)/.test(after) ? repairs.trailingComment : repairs.proseAfter);
}

/**
 * The answer without a reasoning model's thinking: every `<think>…</think>` block, and a leading
 * `<think>` that never closes (the answer was cut off while the model was still thinking).
 * Thinking often quotes JSON-like text, so it goes before the search for the first JSON value.
 */
export function stripThinking(answer: string): string {
  const closed = answer.replace(/<think>[\s\S]*?<\/think>/g, '');
  return /^\s*<think>/.test(closed) ? '' : closed;
}

/**
 * The first JSON array or object in `raw` (`opener` restricts which), parsed leniently. When the
 * value is an object with a `role` key followed by more such objects, they are collected into an
 * array (models sometimes write one message object per line).
 */
export function parseJsonValue(answer: string, opener: '[' | '{' | 'any' = 'any'): JsonParse {
  const raw = stripThinking(answer);
  const used = new Set<string>();
  const start = findStart(raw, 0, opener);
  if (start < 0) {
    const what = opener === '[' ? 'array' : opener === '{' ? 'object' : 'array or object';
    if (raw.trim() === '' && raw !== answer) {
      return { ok: false, reason: 'the output is only reasoning (<think>…), no answer' };
    }
    return {
      ok: false,
      reason: raw.trim() === '' ? 'the output is empty' : `no JSON ${what} found in the output`,
    };
  }
  const parsed = parseValueAt(raw, start, used);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: parsed.cutOff
        ? `output was cut off (no closing ${parsed.closer})`
        : `invalid JSON: ${parsed.message}`,
    };
  }
  let value = parsed.value;
  let end = parsed.end;
  if (opener === 'any' && isMessageLike(value)) {
    const objects = [value];
    for (;;) {
      let next = skipSpace(raw, end, new Set());
      if (raw[next] === ',') next = skipSpace(raw, next + 1, new Set());
      if (raw[next] !== '{') break;
      const more = parseValueAt(raw, next, used);
      if (!more.ok || !isMessageLike(more.value)) break;
      objects.push(more.value);
      end = more.end;
    }
    if (objects.length > 1) {
      used.add(repairs.separateObjects);
      value = objects;
    }
  }
  noteSurroundings(raw, start, end, used);
  const repaired = Object.values(repairs).filter((name) => used.has(name));
  return { ok: true, value, repaired };
}

function isMessageLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'role' in value;
}

/** The first JSON object in a model's answer (agentic check, tagging), parsed leniently. */
export function parseJsonObject(
  raw: string,
):
  { ok: true; value: Record<string, unknown>; repaired: string[] } | { ok: false; reason: string } {
  const parsed = parseJsonValue(raw, '{');
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value as Record<string, unknown>, repaired: parsed.repaired };
}
