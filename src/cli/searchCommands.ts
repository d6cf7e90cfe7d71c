// `steps entropy` and `steps combos`: conditional structural entropy and the combination search
// on a graph file, over a tree built by one of the tree builders, through src/core/steps.ts;
// `combos --corpus` adds what that corpus says about each combination, and `combos --format jsonl`
// streams the combinations one per line, start by start, in bounded memory.
import { nodeCount } from '../core/graph/skillGraph';
import {
  buildTree,
  combinationFacts,
  conditionalEntropy,
  indexSamples,
  localSearchModes,
  partnerDiversity,
  searchModes,
  tableCombinations,
  treeTerms,
  unseenShareBySize,
  type Combination,
  type CombinationTable,
  type SampleIndex,
  type SkillGraph,
} from '../core/steps';
import { joinRangeTables } from '../core/combinations/startRanges';
import { CommandArgs } from './args';
import { corpusOptionSyntax, corpusOptionsUsage, readSampleSkills } from './corpusFile';
import {
  graphFileArgument,
  readGraphFile,
  treeOptions,
  treeOptionSyntax,
  treeOptionsUsage,
} from './graphInput';
import { ChunkedOutput } from './output';
import { searchInThreads, searchThreadCount } from './searchThreads';

const comboFormats = ['json', 'jsonl'] as const;

const entropySyntax = {
  usage: `steps entropy ${graphFileArgument} ${treeOptionsUsage} --target 1,3 [--given 0,2]`,
  positionals: [graphFileArgument],
  options: { ...treeOptionSyntax, target: 'value', given: 'value' },
} as const;

const combosSyntax = {
  usage:
    `steps combos ${graphFileArgument} ${treeOptionsUsage} --size S --beam B [--start 0,5] ` +
    `[--search ${searchModes.join('|')}] [--scope L] [--per-start N] [--dedupe] ` +
    `[--format ${comboFormats.join('|')}] [--threads N] [--corpus FILE ${corpusOptionsUsage}]`,
  positionals: [graphFileArgument],
  options: {
    ...treeOptionSyntax,
    ...corpusOptionSyntax,
    corpus: 'value',
    scope: 'value',
    size: 'value',
    beam: 'value',
    start: 'value',
    search: 'value',
    'per-start': 'value',
    dedupe: 'switch',
    format: 'value',
    threads: 'value',
  },
} as const;

/** `entropy`: prints {"conditionalEntropy": H(target | given)}. */
export async function runEntropy(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, entropySyntax);
  const options = treeOptions(args);
  const graph = await readGraphFile(args.positionals[0]);
  const given = args.skillIds('given', nodeCount(graph)) ?? [];
  const target = args.skillIds('target', nodeCount(graph)) ?? args.fail('--target is required');
  const { tree } = buildTree(graph, options);
  print({
    conditionalEntropy: conditionalEntropy(graph, tree, given, target, options.entropyMode),
  });
}

/**
 * `combos`: prints {"combinations": [{"start", "skills", "score"}], "timingsMs": {"tree", "search"}},
 * and "note" when the tree has fewer levels than asked. --size is k, the number of skills per
 * combination with the start included (so k - 1 are added); `skills` lists the start first.
 * Without --start every skill is a start. --scope L keeps the local searches inside the start's
 * community of level L (1 = top level). With --corpus, each combination also gets "cooccurrence"
 * (samples of that corpus carrying all its skills) and "rarestPair" ({"skills", "count"}: its
 * least frequent pair), and "corpus" says how many sets are unseen there and how partners repeat.
 * --format jsonl prints the same combinations, in the same order, one JSON object per line, as
 * the searches of successive start ranges end (with --dedupe, once all have ended); the note and
 * the timings go to stderr. --threads N searches on N worker threads, each taking the next range
 * of starts; the output is the same as one thread's. Default: one per core, except with
 * --format jsonl, whose point is bounded memory: one (each thread holds its own copy of the
 * graph and tree, about 40 MB at 10k skills).
 */
export async function runCombos(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, combosSyntax);
  const options = treeOptions(args);
  const size = args.integer('size', 1);
  const beamWidth = args.integer('beam', 1);
  const perStart = args.text('per-start') === undefined ? undefined : args.integer('per-start', 1);
  const mode = args.choice('search', searchModes, 'local');
  const scope = args.integer('scope', 0, 0);
  const format = args.choice('format', comboFormats, 'json');
  const threads = args.integer('threads', 1, format === 'jsonl' ? 1 : searchThreadCount());
  if (scope > 0 && !localSearchModes.includes(mode)) {
    args.fail(`--scope applies to --search ${localSearchModes.join(' or ')}, not ${mode}`);
  }
  const corpusPath = args.text('corpus');
  if (corpusPath === undefined && (args.text('tags') ?? args.text('delimiter')) !== undefined) {
    args.fail('--tags and --delimiter describe the --corpus file; give --corpus too');
  }
  if (corpusPath !== undefined && format === 'jsonl') {
    args.fail('--corpus needs --format json (the corpus summary covers every combination)');
  }
  const graph = await readGraphFile(args.positionals[0]);
  const starts = args.skillIds('start', nodeCount(graph));

  const treeStarted = performance.now();
  const { tree, note } = buildTree(graph, options);
  const treeMs = performance.now() - treeStarted;
  if (scope > tree.height) {
    args.fail(`--scope must be at most ${tree.height}, the levels of this tree, got ${scope}`);
  }
  const search = searchInThreads(
    {
      terms: treeTerms(graph, tree, options.entropyMode),
      tree,
      options: {
        size,
        beamWidth,
        starts,
        mode,
        scope,
        perStart,
        dedupeAcrossStarts: args.switch('dedupe'),
      },
    },
    threads,
  );
  const searchStarted = performance.now();
  const out = new ChunkedOutput();

  if (format === 'jsonl') {
    let count = 0;
    for await (const table of search) {
      for (let row = 0; row < table.count; row++) await out.write(`${rowJson(table, row)}\n`);
      count += table.count;
    }
    await out.flush();
    const searchMs = performance.now() - searchStarted;
    console.error(
      `steps combos: ${count} combinations; tree ${round(treeMs)} ms, ` +
        `search and output ${round(searchMs)} ms${note ? `; ${note}` : ''}`,
    );
    return;
  }

  const tables: CombinationTable[] = [];
  for await (const table of search) tables.push(table);
  const table = joinRangeTables(size, tables, false);
  const searchMs = performance.now() - searchStarted;
  const timingsMs = { tree: round(treeMs), search: round(searchMs) };
  if (corpusPath === undefined) {
    // The same JSON as one stringify of the whole output, written row by row.
    await out.write('{"combinations":[');
    for (let row = 0; row < table.count; row++) {
      await out.write(row === 0 ? rowJson(table, row) : `,${rowJson(table, row)}`);
    }
    const rest = JSON.stringify({ ...(note && { note }), timingsMs });
    await out.write(`],${rest.slice(1)}\n`);
    await out.flush();
    return;
  }
  const combinations = tableCombinations(table, tree);
  const rows = combinations.map(({ start, skills, score }) => ({ start, skills, score }));
  const index = await corpusIndex(corpusPath, args, graph);
  print({
    combinations: rows.map((row) => ({ ...row, ...combinationFacts(index, row.skills) })),
    corpus: corpusSummary(index, combinations, nodeCount(graph)),
    ...(note && { note }),
    timingsMs,
  });
}

/** Row r of a table as JSON: {"start", "skills", "score"}. */
function rowJson(table: CombinationTable, row: number): string {
  const from = row * table.size;
  const skills = table.skills.subarray(from, from + table.lengths[row]).join(',');
  return `{"start":${table.starts[row]},"skills":[${skills}],"score":${JSON.stringify(table.scores[row])}}`;
}

/** The corpus file's samples indexed by the graph's skills; none in common is an error. */
async function corpusIndex(
  path: string,
  args: CommandArgs,
  graph: SkillGraph,
): Promise<SampleIndex> {
  const { skills } = await readSampleSkills(path, args);
  const index = indexSamples(graph.names, skills);
  if (index.sampleCount === 0) {
    throw new Error(
      `${path}: no sample carries a skill of the graph; give the corpus the graph was built from (and its --tags)`,
    );
  }
  return index;
}

function corpusSummary(index: SampleIndex, combinations: Combination[], skillCount: number) {
  return {
    samples: index.sampleCount,
    unseen: unseenShareBySize(index, combinations),
    partners: partnerDiversity(combinations, skillCount),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
