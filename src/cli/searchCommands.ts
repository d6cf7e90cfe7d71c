// `steps entropy` and `steps combos`: conditional structural entropy and the combination search
// on a graph file, over a tree built by one of the tree builders.
import { nodeCount, type SkillGraph } from '../core/graph/skillGraph';
import {
  searchCombinations,
  searchModes,
  type SearchMode,
} from '../core/taxonomy/combinationSearch';
import type { EncodingTree } from '../core/taxonomy/encodingTree';
import { conditionalEntropyOfTerms, treeTerms } from '../core/taxonomy/entropy';
import { entropyModes, readGraphFile, treeBuilders, type TreeBuilderName } from './graphInput';

const entropyUsage =
  'entropy <graph.json> --levels K --target 1,3 [--given 0,2] [--entropy standard|reference] ' +
  '[--builder top-down|optimised]';
const combosUsage =
  'combos <graph.json> --levels K --size S --beam B [--start 0,5] ' +
  `[--search ${searchModes.join('|')}] [--entropy standard|reference] ` +
  '[--builder top-down|optimised] [--per-start N] [--dedupe]';

/** `entropy`: prints {"conditionalEntropy": H(target | given)}. */
export async function runEntropy(args: string[]): Promise<void> {
  const parsed = parseArgs(
    args,
    ['levels', 'given', 'target', 'entropy', 'builder'],
    [],
    entropyUsage,
  );
  const graph = await readGraphFile(parsed.path);
  const tree = buildTree(graph, parsed);
  const mode = choice(parsed, 'entropy', entropyModes, 'standard');
  const given = skillList(parsed, 'given', graph) ?? [];
  const target = skillList(parsed, 'target', graph);
  if (!target) throw new Error('--target is required');
  const terms = treeTerms(graph, tree, mode);
  print({ conditionalEntropy: conditionalEntropyOfTerms(terms, given, target) });
}

/**
 * `combos`: prints {"combinations": [{"start", "skills", "score"}], "timingsMs": {"tree", "search"}}.
 * --size is k, the number of skills per combination with the start included (so k - 1 are
 * added); `skills` lists the start first. Without --start every skill is a start.
 */
export async function runCombos(args: string[]): Promise<void> {
  const parsed = parseArgs(
    args,
    ['levels', 'size', 'beam', 'start', 'search', 'entropy', 'builder', 'per-start'],
    ['dedupe'],
    combosUsage,
  );
  const graph = await readGraphFile(parsed.path);
  const treeStarted = performance.now();
  const tree = buildTree(graph, parsed);
  const treeMs = performance.now() - treeStarted;
  const size = positiveInteger(parsed, 'size');
  const beamWidth = positiveInteger(parsed, 'beam');
  const perStart = parsed.values.has('per-start')
    ? positiveInteger(parsed, 'per-start')
    : undefined;
  const mode = choice<SearchMode>(parsed, 'search', searchModes, 'local');
  const entropy = choice(parsed, 'entropy', entropyModes, 'standard');
  const starts = skillList(parsed, 'start', graph);

  const searchStarted = performance.now();
  const terms = treeTerms(graph, tree, entropy);
  const combinations = searchCombinations(terms, tree, {
    size,
    beamWidth,
    starts,
    mode,
    perStart,
    dedupeAcrossStarts: parsed.switches.has('dedupe'),
  });
  const searchMs = performance.now() - searchStarted;
  print({
    combinations: combinations.map(({ start, skills, score }) => ({ start, skills, score })),
    timingsMs: { tree: round(treeMs), search: round(searchMs) },
  });
}

interface ParsedArgs {
  path: string;
  values: Map<string, string>;
  switches: Set<string>;
}

function parseArgs(
  args: string[],
  valueFlags: string[],
  switchFlags: string[],
  usage: string,
): ParsedArgs {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const flag = arg.slice(2);
    if (switchFlags.includes(flag)) {
      switches.add(flag);
    } else if (valueFlags.includes(flag)) {
      if (i + 1 >= args.length) throw new Error(`${arg} needs a value\nusage: ${usage}`);
      values.set(flag, args[++i]);
    } else {
      throw new Error(`unknown option ${arg}\nusage: ${usage}`);
    }
  }
  if (positional.length !== 1) throw new Error(`expected one graph file\nusage: ${usage}`);
  return { path: positional[0], values, switches };
}

function buildTree(graph: SkillGraph, parsed: ParsedArgs): EncodingTree {
  const levels = positiveInteger(parsed, 'levels');
  const builder = choice<TreeBuilderName>(
    parsed,
    'builder',
    Object.keys(treeBuilders) as TreeBuilderName[],
    'top-down',
  );
  return treeBuilders[builder](graph, levels);
}

function positiveInteger(parsed: ParsedArgs, flag: string): number {
  const raw = parsed.values.get(flag);
  if (raw === undefined) throw new Error(`--${flag} is required`);
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1) {
    throw new Error(`--${flag}: must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function choice<T extends string>(
  parsed: ParsedArgs,
  flag: string,
  options: readonly T[],
  fallback: T,
): T {
  const raw = parsed.values.get(flag);
  if (raw === undefined) return fallback;
  if (!(options as readonly string[]).includes(raw)) {
    throw new Error(`--${flag}: must be one of ${options.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

/** A comma-separated list of skill ids; undefined when the flag is absent. */
function skillList(parsed: ParsedArgs, flag: string, graph: SkillGraph): number[] | undefined {
  const raw = parsed.values.get(flag);
  if (raw === undefined) return undefined;
  const n = nodeCount(graph);
  if (raw.trim() === '') return [];
  return raw.split(',').map((token, k) => {
    const id = Number(token.trim());
    if (!/^\d+$/.test(token.trim()) || id >= n) {
      throw new Error(`--${flag}[${k}]: ${JSON.stringify(token)} is not a skill id in 0..${n - 1}`);
    }
    return id;
  });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
