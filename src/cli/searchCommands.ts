// `steps entropy` and `steps combos`: conditional structural entropy and the combination search
// on a graph file, over a tree built by one of the tree builders, through src/core/steps.ts.
import { nodeCount } from '../core/graph/skillGraph';
import { buildTree, conditionalEntropy, findCombinations, searchModes } from '../core/steps';
import { CommandArgs } from './args';
import { readGraphFile, treeOptions, treeOptionSyntax, treeOptionsUsage } from './graphInput';

const entropySyntax = {
  usage: `steps entropy <graph.json> ${treeOptionsUsage} --target 1,3 [--given 0,2]`,
  positionals: ['<graph.json>'],
  options: { ...treeOptionSyntax, target: 'value', given: 'value' },
} as const;

const combosSyntax = {
  usage:
    `steps combos <graph.json> ${treeOptionsUsage} --size S --beam B [--start 0,5] ` +
    `[--search ${searchModes.join('|')}] [--per-start N] [--dedupe]`,
  positionals: ['<graph.json>'],
  options: {
    ...treeOptionSyntax,
    size: 'value',
    beam: 'value',
    start: 'value',
    search: 'value',
    'per-start': 'value',
    dedupe: 'switch',
  },
} as const;

/** `entropy`: prints {"conditionalEntropy": H(target | given)}. */
export async function runEntropy(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, entropySyntax);
  const options = treeOptions(args);
  const graph = await readGraphFile(args.positionals[0]);
  const given = args.skillIds('given', nodeCount(graph)) ?? [];
  const target = args.skillIds('target', nodeCount(graph)) ?? args.fail('--target is required');
  const tree = buildTree(graph, options);
  print({
    conditionalEntropy: conditionalEntropy(graph, tree, given, target, options.entropyMode),
  });
}

/**
 * `combos`: prints {"combinations": [{"start", "skills", "score"}], "timingsMs": {"tree", "search"}}.
 * --size is k, the number of skills per combination with the start included (so k - 1 are
 * added); `skills` lists the start first. Without --start every skill is a start.
 */
export async function runCombos(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, combosSyntax);
  const options = treeOptions(args);
  const size = args.integer('size', 1);
  const beamWidth = args.integer('beam', 1);
  const perStart = args.text('per-start') === undefined ? undefined : args.integer('per-start', 1);
  const mode = args.choice('search', searchModes, 'local');
  const graph = await readGraphFile(args.positionals[0]);
  const starts = args.skillIds('start', nodeCount(graph));

  const treeStarted = performance.now();
  const tree = buildTree(graph, options);
  const treeMs = performance.now() - treeStarted;
  const searchStarted = performance.now();
  const combinations = findCombinations(graph, tree, {
    entropyMode: options.entropyMode,
    size,
    beamWidth,
    starts,
    mode,
    perStart,
    dedupeAcrossStarts: args.switch('dedupe'),
  });
  const searchMs = performance.now() - searchStarted;
  print({
    combinations: combinations.map(({ start, skills, score }) => ({ start, skills, score })),
    timingsMs: { tree: round(treeMs), search: round(searchMs) },
  });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
