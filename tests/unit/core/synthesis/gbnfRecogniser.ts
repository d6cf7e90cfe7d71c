// A plain GBNF recogniser for the grammar tests: does a grammar admit a text as a whole? Rules,
// literals, character classes (with ranges, negation and \xNN escapes), groups, alternatives and
// the repetitions * + ? {m} {m,} {m,n}. Matching works on sets of positions: each part of a
// grammar maps the positions it may start at to the positions it may end at, so ambiguity costs
// nothing but a larger set. Left recursion is not supported (the generated grammars have none).

type Node =
  | { kind: 'literal'; text: string }
  | { kind: 'class'; negated: boolean; ranges: [number, number][] }
  | { kind: 'ref'; name: string }
  | { kind: 'seq'; parts: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '"': '"',
  ']': ']',
  '[': '[',
  '-': '-',
  '^': '^',
};

class Parser {
  #pos = 0;
  constructor(readonly text: string) {}

  rules(): Map<string, Node> {
    const rules = new Map<string, Node>();
    this.#blank();
    while (this.#pos < this.text.length) {
      const name = this.#name();
      this.#blank();
      this.#expect('::=');
      rules.set(name, this.#alternatives());
      this.#blank();
    }
    return rules;
  }

  #alternatives(): Node {
    const options = [this.#sequence()];
    while (this.#peek() === '|') {
      this.#pos++;
      options.push(this.#sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  #sequence(): Node {
    const parts: Node[] = [];
    for (;;) {
      this.#space();
      const c = this.text[this.#pos];
      if (c === undefined || c === '|' || c === ')' || c === '\n') break;
      parts.push(this.#postfix(this.#atom()));
    }
    return parts.length === 1 ? parts[0] : { kind: 'seq', parts };
  }

  #atom(): Node {
    const c = this.text[this.#pos];
    if (c === '"') return this.#literal();
    if (c === '[') return this.#class();
    if (c === '(') {
      this.#pos++;
      const inner = this.#alternatives();
      this.#space();
      this.#expect(')');
      return inner;
    }
    return { kind: 'ref', name: this.#name() };
  }

  #postfix(node: Node): Node {
    for (;;) {
      const c = this.text[this.#pos];
      if (c === '*') node = { kind: 'repeat', node, min: 0, max: Infinity };
      else if (c === '+') node = { kind: 'repeat', node, min: 1, max: Infinity };
      else if (c === '?') node = { kind: 'repeat', node, min: 0, max: 1 };
      else if (c === '{') {
        const match = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.#pos));
        if (!match) throw new SyntaxError(`bad repetition at ${this.#pos}`);
        const min = Number(match[1]);
        const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
        node = { kind: 'repeat', node, min, max };
        this.#pos += match[0].length - 1;
      } else return node;
      this.#pos++;
    }
  }

  #char(): string {
    const c = this.text[this.#pos++];
    if (c !== '\\') return c;
    const e = this.text[this.#pos++];
    if (e === 'x' || e === 'u') {
      const digits = e === 'x' ? 2 : 4;
      const code = this.text.slice(this.#pos, this.#pos + digits);
      this.#pos += digits;
      return String.fromCodePoint(parseInt(code, 16));
    }
    const plain = ESCAPES[e];
    if (plain === undefined) throw new SyntaxError(`unknown escape \\${e}`);
    return plain;
  }

  #literal(): Node {
    this.#pos++;
    let text = '';
    while (this.text[this.#pos] !== '"') {
      if (this.#pos >= this.text.length) throw new SyntaxError('unterminated literal');
      text += this.#char();
    }
    this.#pos++;
    return { kind: 'literal', text };
  }

  #class(): Node {
    this.#pos++;
    const negated = this.text[this.#pos] === '^';
    if (negated) this.#pos++;
    const ranges: [number, number][] = [];
    while (this.text[this.#pos] !== ']') {
      if (this.#pos >= this.text.length) throw new SyntaxError('unterminated class');
      const low = this.#char().codePointAt(0)!;
      if (this.text[this.#pos] === '-' && this.text[this.#pos + 1] !== ']') {
        this.#pos++;
        ranges.push([low, this.#char().codePointAt(0)!]);
      } else ranges.push([low, low]);
    }
    this.#pos++;
    return { kind: 'class', negated, ranges };
  }

  #name(): string {
    const match = /^[a-zA-Z0-9-]+/.exec(this.text.slice(this.#pos));
    if (!match) throw new SyntaxError(`expected a rule name at ${this.#pos}`);
    this.#pos += match[0].length;
    return match[0];
  }

  #expect(token: string) {
    if (!this.text.startsWith(token, this.#pos)) {
      throw new SyntaxError(`expected ${token} at ${this.#pos}`);
    }
    this.#pos += token.length;
  }

  #peek(): string | undefined {
    this.#space();
    return this.text[this.#pos];
  }

  /** Spaces within a rule (a line break ends the rule). */
  #space() {
    while (this.text[this.#pos] === ' ' || this.text[this.#pos] === '\t') this.#pos++;
  }

  #blank() {
    while (/\s/.test(this.text[this.#pos] ?? '')) this.#pos++;
  }
}

export class GbnfRecogniser {
  readonly #rules: Map<string, Node>;

  constructor(grammar: string) {
    this.#rules = new Parser(grammar).rules();
    if (!this.#rules.has('root')) throw new SyntaxError('the grammar has no root rule');
  }

  accepts(text: string): boolean {
    return this.#match(this.#rules.get('root')!, text, new Set([0])).has(text.length);
  }

  #match(node: Node, text: string, from: Set<number>): Set<number> {
    const to = new Set<number>();
    switch (node.kind) {
      case 'literal':
        for (const at of from) if (text.startsWith(node.text, at)) to.add(at + node.text.length);
        return to;
      case 'class':
        for (const at of from) {
          const code = text.codePointAt(at);
          if (code === undefined) continue;
          const inside = node.ranges.some(([low, high]) => code >= low && code <= high);
          if (inside !== node.negated) to.add(at + (code > 0xffff ? 2 : 1));
        }
        return to;
      case 'ref': {
        const rule = this.#rules.get(node.name);
        if (!rule) throw new SyntaxError(`undefined rule ${node.name}`);
        return this.#match(rule, text, from);
      }
      case 'seq':
        return node.parts.reduce((at, part) => this.#match(part, text, at), from);
      case 'alt':
        for (const option of node.options) {
          for (const at of this.#match(option, text, from)) to.add(at);
        }
        return to;
      case 'repeat': {
        if (node.min === 0) for (const at of from) to.add(at);
        let current = from;
        for (let times = 1; times <= node.max && current.size > 0; times++) {
          current = this.#match(node.node, text, current);
          if (times < node.min) continue;
          const fresh = [...current].filter((at) => !to.has(at));
          for (const at of fresh) to.add(at);
          // Unbounded: stop once a round reaches no new position.
          if (node.max === Infinity && fresh.length === 0) break;
        }
        return to;
      }
    }
  }
}
