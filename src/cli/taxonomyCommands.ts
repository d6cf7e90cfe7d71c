// `steps graph` and `steps tree`: the skill graph of a corpus file, and the encoding tree of a
// graph file, through the same core code as the app. Both print JSON on stdout.
import { once } from 'node:events';
import { importCorpus } from '../core/corpus/importCorpus';
import {
  edgeWeightings,
  SkillGraphBuilder,
  type EdgeWeighting,
} from '../core/graph/buildSkillGraph';
import { nodeCount } from '../core/graph/skillGraph';
import { treeMeasures } from '../core/taxonomy/entropy';
import { treeLevels } from '../core/taxonomy/treeLevels';
import { entropyModes, readGraphFile, treeBuilders, type TreeBuilderName } from './graphInput';
import { corpusFileFromPath } from './inspect';

const GRAPH_USAGE =
  'usage: steps graph <corpus-file> [--tags FIELD] [--delimiter D] ' +
  '[--weight reference|count|pmi|npmi] [--min-count N]';
const TREE_USAGE =
  'usage: steps tree <graph.json> --levels K [--builder top-down|optimised] ' +
  '[--entropy standard|reference]';

/** One positional argument and `--name value` options, each at most once. */
function parseArgs(
  args: string[],
  optionNames: readonly string[],
  usage: string,
): { path: string; options: Map<string, string> } {
  let path: string | undefined;
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      if (!optionNames.includes(name)) throw new Error(`unknown option "${arg}"; ${usage}`);
      if (options.has(name)) throw new Error(`${arg} given twice; ${usage}`);
      const value = args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value; ${usage}`);
      options.set(name, value);
    } else if (path === undefined) {
      path = arg;
    } else {
      throw new Error(`unexpected "${arg}"; ${usage}`);
    }
  }
  if (path === undefined) throw new Error(usage);
  return { path, options };
}

function choice<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  option: string,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${option} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function integerOption(value: string, option: string, minimum: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < minimum) {
    throw new Error(`${option} must be an integer ≥ ${minimum}, got "${value}"`);
  }
  return parsed;
}

/** Writes text to stdout, waiting whenever the pipe is full, so large graphs stream out. */
async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

export async function runGraph(args: string[]): Promise<void> {
  const { path, options } = parseArgs(
    args,
    ['tags', 'delimiter', 'weight', 'min-count'],
    GRAPH_USAGE,
  );
  const weighting = choice<EdgeWeighting>(
    options.get('weight'),
    edgeWeightings,
    'reference',
    '--weight',
  );
  const minCountText = options.get('min-count');
  const minCount = minCountText === undefined ? 1 : integerOption(minCountText, '--min-count', 1);
  const delimiter = options.get('delimiter');

  const builder = new SkillGraphBuilder();
  const report = await importCorpus(await corpusFileFromPath(path), {
    tagField: options.get('tags'),
    delimiter: delimiter === '\\t' ? '\t' : delimiter,
    onBatch: (samples) => {
      for (const sample of samples) builder.add(sample.skills);
    },
  });
  const graph = builder.build({ weighting, minCount });
  const rejected = report.rejected.length + report.rejectedNotListed;
  console.error(
    `steps graph: ${path}: ${report.rows} rows, ${report.kept} kept (${report.tagged} tagged, ` +
      `${rejected} rejected), tag field ${JSON.stringify(report.tagField)}; ` +
      `${nodeCount(graph)} skills, ${graph.targets.length / 2} edges`,
  );

  // The file format of graphFile.ts (edges once, u < v, by u then v), written in pieces.
  const n = nodeCount(graph);
  await writeOut(`{"nodes":${n},"edges":[`);
  let piece: string[] = [];
  let separator = '';
  for (let u = 0; u < n; u++) {
    for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
      const v = graph.targets[k];
      if (u < v) piece.push(`[${u},${v},${graph.weights[k]}]`);
    }
    if (piece.length > 0 && (piece.length >= 10000 || u === n - 1)) {
      await writeOut(separator + piece.join(','));
      separator = ',';
      piece = [];
    }
  }
  await writeOut(
    `],"names":${JSON.stringify(graph.names)},"counts":${JSON.stringify(Array.from(graph.counts))}}\n`,
  );
}

export async function runTree(args: string[]): Promise<void> {
  const { path, options } = parseArgs(args, ['levels', 'builder', 'entropy'], TREE_USAGE);
  const levelsText = options.get('levels');
  if (levelsText === undefined) throw new Error(`--levels is required; ${TREE_USAGE}`);
  const levels = integerOption(levelsText, '--levels', 1);
  const builder = choice<TreeBuilderName>(
    options.get('builder'),
    Object.keys(treeBuilders) as TreeBuilderName[],
    'top-down',
    '--builder',
  );
  const mode = choice(options.get('entropy'), entropyModes, 'standard', '--entropy');

  const graph = await readGraphFile(path);

  const start = performance.now();
  const tree = treeBuilders[builder](graph, levels);
  const treeMs = performance.now() - start;
  const measures = treeMeasures(graph, tree, mode);
  console.log(
    JSON.stringify({
      structuralEntropy: measures.structuralEntropy,
      firstOrderEntropy: measures.firstOrderEntropy,
      sweetSpot: measures.sweetSpot,
      levels: treeLevels(tree),
      timingsMs: { tree: Math.round(treeMs * 10) / 10 },
    }),
  );
}
