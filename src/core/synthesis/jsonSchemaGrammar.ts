// The JSON schemas of the model answers (conversation, coverage, agentic check, tags, names) as
// GBNF grammars, the constrained-decoding format of llama.cpp (wllama in the browser,
// node-llama-cpp in the CLI). A grammar admits exactly the JSON texts the schema allows, written
// compactly or with a little whitespace, so a model constrained by it cannot answer anything the
// parser would reject for its shape.
//
// The subset: `type` object (properties in the schema's order; required ones always, the others
// optional; no further keys), array (`items`, `prefixItems`, `minItems`, `maxItems`), string
// (`enum`, `const`, `minLength`, `maxLength`), number, integer, boolean, null; `anyOf`/`oneOf`.
// Anything else throws UnsupportedSchemaError: an engine then generates unconstrained and says so.
//
// Lengths are bounded so that a constrained answer finishes inside its token budget: given
// `maxChars`, an answer of fixed shape (objects, tuples, each alternative of an anyOf) never has
// more characters than that, blanks aside: the characters its shape leaves over are shared out
// evenly among its free strings. An array of variable length gets at most the items that fit, each
// sized as if the array had its fewest items. Alternatives that cannot fit are left out. Blank
// runs are bounded on their own (small models otherwise loop on blank lines inside a grammar).

export type SchemaNode = Record<string, unknown>;

export class UnsupportedSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedSchemaError';
  }
}

export interface GrammarBudget {
  /** Characters the whole answer may take (CHARS_PER_TOKEN a token of the answer's budget). */
  maxChars?: number;
}

/**
 * Characters a token of JSON answer is counted as, for turning max_tokens into maxChars. Fewer than
 * the average (about 3 for English prose): numbers and punctuation take a token a character in
 * small models' vocabularies, and at 3 SmolLM2's answers on the demo corpus were cut off at the
 * token budget in 1 of 4 attempts (`npm run bench:model`).
 */
export const CHARS_PER_TOKEN = 2;

/** Longest run of blanks between two tokens of JSON. */
const MAX_BLANKS = 12;

const KNOWN_KEYS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'anyOf',
  'oneOf',
  // Annotations, which do not constrain.
  'title',
  'description',
  '$schema',
]);

const PRIMITIVES = `ws ::= [ \\t\\n]{0,${MAX_BLANKS}}
char ::= [^"\\\\\\x00-\\x1f] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})
nonblank ::= [^"\\\\\\x00-\\x20] | "\\\\" (["\\\\/bf] | "u" [0-9a-fA-F]{4})
number ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})?
integer ::= "-"? ("0" | [1-9] [0-9]{0,15})
boolean ::= "true" | "false"
null ::= "null"`;

/** A GBNF literal for `text`. */
function literal(text: string): string {
  const escaped = text.replace(/[\\"\n\r\t]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`,
  );
  return `"${escaped}"`;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(node: SchemaNode, key: string): number | undefined {
  const value = node[key];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new UnsupportedSchemaError(`"${key}" must be a whole number ≥ 0, not ${String(value)}`);
  }
  return value as number;
}

function alternativesOf(node: SchemaNode): SchemaNode[] | null {
  const list = node.anyOf ?? node.oneOf;
  if (list === undefined) return null;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isNode)) {
    throw new UnsupportedSchemaError('"anyOf"/"oneOf" must be a non-empty list of schemas');
  }
  return list;
}

function propertiesOf(node: SchemaNode): { key: string; schema: SchemaNode; required: boolean }[] {
  const properties = node.properties ?? {};
  if (!isNode(properties)) throw new UnsupportedSchemaError('"properties" must be an object');
  const required = node.required ?? [];
  if (!Array.isArray(required)) throw new UnsupportedSchemaError('"required" must be a list');
  const names = Object.keys(properties);
  for (const name of required) {
    if (!names.includes(name as string)) {
      throw new UnsupportedSchemaError(`required property "${String(name)}" has no schema`);
    }
  }
  return names.map((key) => {
    const schema = properties[key];
    if (!isNode(schema)) throw new UnsupportedSchemaError(`property "${key}" has no schema`);
    return { key, schema, required: required.includes(key) };
  });
}

interface ArrayShape {
  prefix: SchemaNode[];
  /** Schema of the items after the prefix; null when there may be none. */
  rest: SchemaNode | null;
  min: number;
  /** Infinity when unbounded. */
  max: number;
}

function arrayShape(node: SchemaNode): ArrayShape {
  const prefix = node.prefixItems ?? [];
  if (!Array.isArray(prefix) || !prefix.every(isNode)) {
    throw new UnsupportedSchemaError('"prefixItems" must be a list of schemas');
  }
  const items = node.items;
  if (items !== undefined && items !== false && !isNode(items)) {
    throw new UnsupportedSchemaError('"items" must be a schema or false');
  }
  if (items === undefined && prefix.length === 0) {
    throw new UnsupportedSchemaError('an array needs "items" or "prefixItems"');
  }
  const rest = isNode(items) ? items : null;
  const min = count(node, 'minItems') ?? 0;
  const max = Math.min(count(node, 'maxItems') ?? Infinity, rest ? Infinity : prefix.length);
  if (min > max) throw new UnsupportedSchemaError('"minItems" exceeds the items allowed');
  return { prefix, rest, min, max };
}

function typeOf(node: SchemaNode): string | null {
  if (node.enum !== undefined || node.const !== undefined) return 'literal';
  if (alternativesOf(node)) return 'anyOf';
  const type = node.type;
  if (type === undefined) return null;
  if (typeof type !== 'string') throw new UnsupportedSchemaError('"type" must be one name');
  return type;
}

function literalValues(node: SchemaNode): unknown[] {
  if (node.const !== undefined) return [node.const];
  if (!Array.isArray(node.enum) || node.enum.length === 0) {
    throw new UnsupportedSchemaError('"enum" must be a non-empty list');
  }
  return node.enum;
}

/** Fewest characters of a JSON text the schema allows (compact). */
function minChars(node: SchemaNode): number {
  switch (typeOf(node)) {
    case 'literal':
      return Math.min(...literalValues(node).map((value) => JSON.stringify(value).length));
    case 'anyOf':
      return Math.min(...alternativesOf(node)!.map(minChars));
    case 'string':
      return 2 + (count(node, 'minLength') ?? 0);
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return 4;
    case 'null':
      return 4;
    case 'object': {
      const required = propertiesOf(node).filter((p) => p.required);
      const fields = required.map((p) => JSON.stringify(p.key).length + 1 + minChars(p.schema));
      return 2 + fields.reduce((a, b) => a + b, 0) + Math.max(0, required.length - 1);
    }
    case 'array': {
      const shape = arrayShape(node);
      const sizes = Array.from({ length: shape.min }, (_, i) =>
        minChars(shape.prefix[i] ?? shape.rest!),
      );
      return 2 + sizes.reduce((a, b) => a + b, 0) + Math.max(0, shape.min - 1);
    }
    default:
      throw unsupportedType(node);
  }
}

/** Free-text strings in a JSON text the schema allows, at fewest. */
function freeStrings(node: SchemaNode): number {
  switch (typeOf(node)) {
    case 'anyOf':
      return Math.min(...alternativesOf(node)!.map(freeStrings));
    case 'string':
      return 1;
    case 'object':
      return propertiesOf(node)
        .filter((p) => p.required)
        .reduce((sum, p) => sum + freeStrings(p.schema), 0);
    case 'array': {
      const shape = arrayShape(node);
      let sum = 0;
      for (let i = 0; i < shape.min; i++) sum += freeStrings(shape.prefix[i] ?? shape.rest!);
      return sum;
    }
    default:
      return 0;
  }
}

/**
 * The budget of each of `parts` (fixed parts of one value whose fewest characters are `least`):
 * its own fewest characters and its share of what is left, by its free strings.
 */
function shares(parts: SchemaNode[], least: number, budget: number): number[] {
  const strings = parts.map(freeStrings);
  const total = strings.reduce((a, b) => a + b, 0);
  const slack = budget - least;
  return parts.map(
    (part, i) => minChars(part) + (total === 0 ? 0 : Math.floor((slack * strings[i]) / total)),
  );
}

function unsupportedType(node: SchemaNode): UnsupportedSchemaError {
  return new UnsupportedSchemaError(
    node.type === undefined
      ? 'a schema without "type", "enum", "const" or "anyOf"'
      : `type "${String(node.type)}"`,
  );
}

/** GBNF parts in sequence (empty ones left out). */
const seq = (...parts: string[]) => parts.filter((part) => part !== '').join(' ');

/** `unit` repeated min…max times (max may be Infinity). */
function repeat(unit: string, min: number, max: number): string {
  if (max === Infinity) return `(${unit}){${min},}`;
  if (max === 0) return '';
  return min === max ? `(${unit}){${min}}` : `(${unit}){${min},${max}}`;
}

class GrammarWriter {
  readonly #rules = new Map<string, string>();
  readonly #names = new Map<string, string>();

  /** The grammar: the root, the schema's rules, and the primitives they use. */
  text(root: string): string {
    const rules = [
      `root ::= ${root}`,
      ...[...this.#rules].map(([name, body]) => `${name} ::= ${body}`),
    ];
    const uses = (name: string, lines: string[]) =>
      lines.some((line) =>
        new RegExp(`(^|[ (|])${name}([ )|?*+{]|$)`).test(line.slice(line.indexOf('::='))),
      );
    const primitives: string[] = [];
    // Primitives refer only to the ones listed before them (ws and char first), so one pass
    // from the last to the first finds every one in use.
    for (const line of PRIMITIVES.split('\n').reverse()) {
      const name = line.slice(0, line.indexOf(' '));
      if (uses(name, [...rules, ...primitives])) primitives.unshift(line);
    }
    return [...rules, ...primitives].join('\n') + '\n';
  }

  /** A rule name for `node` within `budget` characters, written once per schema and budget. */
  rule(node: SchemaNode, budget: number, hint: string): string {
    const key = `${budget}:${JSON.stringify(node)}`;
    const known = this.#names.get(key);
    if (known) return known;
    const name = `${hint}-${this.#names.size + 1}`;
    this.#names.set(key, name);
    this.#rules.set(name, this.expression(node, budget));
    return name;
  }

  expression(node: SchemaNode, budget: number): string {
    for (const key of Object.keys(node)) {
      if (!KNOWN_KEYS.has(key)) throw new UnsupportedSchemaError(`the keyword "${key}"`);
    }
    switch (typeOf(node)) {
      case 'literal':
        return literalValues(node)
          .map((value) => literal(JSON.stringify(value)))
          .join(' | ');
      case 'anyOf': {
        const alternatives = alternativesOf(node)!;
        const fitting = alternatives.filter((alternative) => minChars(alternative) <= budget);
        const kept = fitting.length > 0 ? fitting : [minBy(alternatives, minChars)];
        return kept.map((alternative) => this.rule(alternative, budget, 'alt')).join(' | ');
      }
      case 'string':
        return this.#string(node, budget);
      case 'number':
      case 'integer':
      case 'boolean':
      case 'null':
        return node.type as string;
      case 'object':
        return this.#object(node, budget);
      case 'array':
        return this.#array(node, budget);
      default:
        throw unsupportedType(node);
    }
  }

  /** Bounded; a string that must not be empty starts with a non-blank character. */
  #string(node: SchemaNode, budget: number): string {
    const min = count(node, 'minLength') ?? 0;
    const max = Math.min(count(node, 'maxLength') ?? Infinity, Math.max(min, budget - 2));
    if (min > max) throw new UnsupportedSchemaError('"minLength" exceeds "maxLength"');
    const quote = '"\\""';
    if (min === 0) return seq(quote, repeat('char', 0, max), quote);
    return seq(quote, 'nonblank', repeat('char', min - 1, max - 1), quote);
  }

  #object(node: SchemaNode, budget: number): string {
    const properties = propertiesOf(node);
    const required = properties.filter((p) => p.required);
    const budgets = shares(
      required.map((p) => p.schema),
      minChars(node),
      budget,
    );
    const fields = properties.map(({ key, schema, required: isRequired }) => {
      // An optional field may take what the required ones leave, at most.
      const own = isRequired
        ? budgets[required.findIndex((p) => p.schema === schema && p.key === key)]
        : budget - minChars(node);
      const value = this.rule(schema, own, 'value');
      return { text: `${literal(JSON.stringify(key))} ws ":" ws ${value} ws`, isRequired };
    });
    // Fields in order; the first one present has no comma before it.
    const after = (from: number): string =>
      seq(
        ...fields
          .slice(from)
          .map((f) => (f.isRequired ? `"," ws ${f.text}` : `("," ws ${f.text})?`)),
      );
    const from = (index: number): string => {
      if (index === fields.length) return '';
      const field = fields[index];
      const first = seq(field.text, after(index + 1));
      if (field.isRequired) return first;
      const later = from(index + 1);
      return later === '' ? `(${first})?` : `(${first} | ${later})`;
    };
    return seq('"{" ws', from(0), '"}"');
  }

  #array(node: SchemaNode, budget: number): string {
    const { prefix, rest, min, max: allowed } = arrayShape(node);
    const fixed = rest === null || allowed === min;
    const slots = Array.from({ length: fixed ? min : Math.max(1, min) }, (_, i) =>
      i < prefix.length ? prefix[i] : rest!,
    );
    const budgets = shares(
      slots,
      minChars(node) + (slots.length > min ? minChars(rest!) : 0),
      budget,
    );
    const itemBudget = (index: number) => budgets[Math.min(index, budgets.length - 1)] ?? budget;
    // Variable length: no more items than fit at their fewest characters (and a comma each).
    const max = fixed
      ? allowed
      : Math.max(min, Math.min(allowed, Math.floor((budget - 2 + 1) / (minChars(rest!) + 1))));
    const element = (index: number): string =>
      `${this.rule(prefix[index] ?? rest!, itemBudget(index), 'item')} ws`;
    const tail = (index: number): string => {
      const comma = index === 0 ? '' : '"," ws';
      if (index === prefix.length) {
        if (!rest || max <= index) return '';
        const more = repeat(
          `"," ws ${element(index)}`,
          Math.max(0, min - index - 1),
          max - index - 1,
        );
        const first = seq(comma, element(index), more);
        return index < min ? first : `(${first})?`;
      }
      if (index >= max) return '';
      const present = seq(comma, element(index), tail(index + 1));
      return index < min ? present : `(${present})?`;
    };
    return seq('"[" ws', tail(0), '"]"');
  }
}

function minBy<T>(items: T[], size: (item: T) => number): T {
  return items.reduce((best, item) => (size(item) < size(best) ? item : best));
}

/** The GBNF grammar of the JSON texts `schema` allows, bounded by `budget`. */
export function jsonSchemaGrammar(schema: SchemaNode, budget: GrammarBudget = {}): string {
  const writer = new GrammarWriter();
  const root = writer.expression(schema, budget.maxChars ?? Infinity);
  return writer.text(root);
}
