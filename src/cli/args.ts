// The one argument parser of the `steps` commands, on node:util's parseArgs. Every mistake in a
// command line is a UsageError whose message names the option and ends with the command's usage.
import { parseArgs } from 'node:util';

/** A command line that does not fit the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandSyntax {
  /** The whole usage line, e.g. `steps tree <graph.json> --levels K [--builder …]`. */
  usage: string;
  /** Names of the positional arguments, in order, e.g. `<graph.json>`; each is required. */
  positionals: readonly string[];
  /** Every `--name` the command takes: one that takes a value, or a switch. */
  options: Readonly<Record<string, 'value' | 'switch'>>;
}

/** A parsed command line, read through validators that name the option in their errors. */
export class CommandArgs {
  readonly #usage: string;
  readonly #positionals: string[];
  readonly #values: Map<string, string | true>;

  private constructor(usage: string, positionals: string[], values: Map<string, string | true>) {
    this.#usage = usage;
    this.#positionals = positionals;
    this.#values = values;
  }

  static parse(args: string[], syntax: CommandSyntax): CommandArgs {
    const kinds = new Map(Object.entries(syntax.options));
    const fail = (problem: string): never => {
      throw new UsageError(`${problem}; usage: ${syntax.usage}`);
    };
    // Not strict: parseArgs' own errors do not name the option as ours do, so tokens are checked here.
    const { tokens } = parseArgs({
      args,
      options: Object.fromEntries(
        [...kinds].map(([name, kind]) => [
          name,
          { type: kind === 'value' ? ('string' as const) : ('boolean' as const) },
        ]),
      ),
      strict: false,
      allowPositionals: true,
      tokens: true,
    });
    const positionals: string[] = [];
    const values = new Map<string, string | true>();
    for (const token of tokens) {
      if (token.kind === 'positional') {
        if (positionals.length === syntax.positionals.length) fail(`unexpected "${token.value}"`);
        positionals.push(token.value);
      } else if (token.kind === 'option') {
        const kind = kinds.get(token.name);
        if (kind === undefined) fail(`unknown option "${token.rawName}"`);
        if (values.has(token.name)) fail(`${token.rawName} given twice`);
        if (kind === 'value' && token.value === undefined) fail(`${token.rawName} needs a value`);
        if (kind === 'switch' && token.inlineValue) fail(`${token.rawName} takes no value`);
        values.set(token.name, token.value ?? true);
      }
    }
    if (positionals.length < syntax.positionals.length) {
      fail(`${syntax.positionals[positionals.length]} is required`);
    }
    return new CommandArgs(syntax.usage, positionals, values);
  }

  /** Throws the UsageError for `problem`, which names the option. */
  fail(problem: string): never {
    throw new UsageError(`${problem}; usage: ${this.#usage}`);
  }

  /** The positional arguments, as many as the syntax names. */
  get positionals(): readonly string[] {
    return this.#positionals;
  }

  /** Whether the switch was given. */
  switch(name: string): boolean {
    return this.#values.get(name) === true;
  }

  /** The option's text; undefined when absent. */
  text(name: string): string | undefined {
    const value = this.#values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  /** The option's text; a usage error when absent. */
  requiredText(name: string): string {
    return this.text(name) ?? this.fail(`--${name} is required`);
  }

  /** An integer ≥ `minimum`; `fallback` when absent, or a usage error without one. */
  integer(name: string, minimum: number, fallback?: number): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback ?? this.fail(`--${name} is required`);
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < minimum) {
      this.fail(`--${name} must be an integer ≥ ${minimum}, got ${JSON.stringify(raw)}`);
    }
    return value;
  }

  /** A number `accepts` (whose rule `rule` names, e.g. "in 0…2"); `fallback` when absent. */
  number(
    name: string,
    rule: string,
    accepts: (value: number) => boolean,
    fallback: number,
  ): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const value = raw.trim() === '' ? NaN : Number(raw);
    if (!accepts(value))
      this.fail(`--${name} must be a number ${rule}, got ${JSON.stringify(raw)}`);
    return value;
  }

  /** One of `names`; `fallback` when absent. */
  choice<T extends string>(name: string, names: readonly T[], fallback: T): T {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const found = names.find((candidate) => candidate === raw);
    if (found === undefined) {
      this.fail(`--${name} must be one of ${names.join(', ')}, got ${JSON.stringify(raw)}`);
    }
    return found;
  }

  /** A comma-separated list of ids in 0..count-1 (empty text: none); undefined when absent. */
  skillIds(name: string, count: number): number[] | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    if (raw.trim() === '') return [];
    return raw.split(',').map((token, k) => {
      const id = Number(token.trim());
      if (!/^\d+$/.test(token.trim()) || id >= count) {
        this.fail(
          `--${name}[${k}] must be a skill id in 0..${count - 1}, got ${JSON.stringify(token)}`,
        );
      }
      return id;
    });
  }
}
