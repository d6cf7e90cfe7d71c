import { describe, expect, it } from 'vitest';
import { CommandArgs, UsageError, type CommandSyntax } from '../../../src/cli/args';

const syntax: CommandSyntax = {
  usage: 'steps demo <graph.json> --levels K [--mode a|b] [--ids 0,1] [--share X] [--fast]',
  positionals: ['<graph.json>'],
  options: { levels: 'value', mode: 'value', ids: 'value', share: 'value', fast: 'switch' },
};

const parse = (...args: string[]) => CommandArgs.parse(args, syntax);

/** The UsageError message of `read`, or a failure when it does not throw one. */
function usageError(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  return expect.fail('no usage error');
}

describe('CommandArgs', () => {
  it('reads positionals, values (also --name=value) and switches', () => {
    const args = parse('g.json', '--levels=3', '--mode', 'b', '--fast', '--ids', '2,0');
    expect(args.positionals).toEqual(['g.json']);
    expect(args.integer('levels', 1)).toBe(3);
    expect(args.choice('mode', ['a', 'b'], 'a')).toBe('b');
    expect(args.skillIds('ids', 3)).toEqual([2, 0]);
    expect(args.switch('fast')).toBe(true);
    expect(args.text('share')).toBeUndefined();
    expect(args.number('share', 'in 0…1', (x) => x >= 0 && x <= 1, 0.5)).toBe(0.5);
    expect(parse('g.json', '--ids', '').skillIds('ids', 3)).toEqual([]);
  });

  it('names the option in every mistake of the command line, then gives the usage', () => {
    const usage = `; usage: ${syntax.usage}`;
    expect(usageError(() => parse('g.json', '--colour', 'red'))).toBe(
      `unknown option "--colour"${usage}`,
    );
    expect(usageError(() => parse('g.json', '-x'))).toBe(`unknown option "-x"${usage}`);
    expect(usageError(() => parse('g.json', '--levels'))).toBe(`--levels needs a value${usage}`);
    expect(usageError(() => parse('g.json', '--fast=yes'))).toBe(`--fast takes no value${usage}`);
    expect(usageError(() => parse('g.json', '--mode', 'a', '--mode', 'b'))).toBe(
      `--mode given twice${usage}`,
    );
    expect(usageError(() => parse('--levels', '2'))).toBe(`<graph.json> is required${usage}`);
    expect(usageError(() => parse('g.json', 'h.json'))).toBe(`unexpected "h.json"${usage}`);

    const args = parse('g.json', '--levels', 'two', '--mode', 'c', '--ids', '1,7', '--share', 'x');
    expect(usageError(() => args.integer('levels', 1))).toBe(
      `--levels must be an integer ≥ 1, got "two"${usage}`,
    );
    expect(usageError(() => parse('g.json').integer('levels', 1))).toBe(
      `--levels is required${usage}`,
    );
    expect(usageError(() => parse('g.json', '--levels', '0').integer('levels', 1))).toBe(
      `--levels must be an integer ≥ 1, got "0"${usage}`,
    );
    expect(usageError(() => args.choice('mode', ['a', 'b'], 'a'))).toBe(
      `--mode must be one of a, b, got "c"${usage}`,
    );
    expect(usageError(() => args.skillIds('ids', 5))).toBe(
      `--ids[1] must be a skill id in 0..4, got "7"${usage}`,
    );
    expect(usageError(() => args.number('share', 'in 0…1', (x) => x >= 0 && x <= 1, 0))).toBe(
      `--share must be a number in 0…1, got "x"${usage}`,
    );
    expect(usageError(() => args.requiredText('missing'))).toBe(`--missing is required${usage}`);
  });

  it('looks option names up safely: inherited property names are unknown options', () => {
    expect(usageError(() => parse('g.json', '--constructor', 'x'))).toContain(
      'unknown option "--constructor"',
    );
    expect(usageError(() => parse('g.json', '--__proto__', 'x'))).toContain(
      'unknown option "--__proto__"',
    );
    const args = parse('g.json', '--mode', 'toString');
    expect(usageError(() => args.choice('mode', ['a', 'b'], 'a'))).toContain('got "toString"');
  });
});
