// `steps graph` and `steps tree`: the skill graph of a corpus file (a JSON or a binary graph file),
// and the encoding tree of a graph file, through src/core/steps.ts as the app.
import { importCorpus } from '../core/corpus/importCorpus';
import { graphToBinary } from '../core/graph/binaryGraphFile';
import { graphToFile } from '../core/graph/graphFile';
import { nodeCount } from '../core/graph/skillGraph';
import { buildTaxonomy, edgeWeightings, SkillGraphBuilder } from '../core/steps';
import { treeLevels } from '../core/taxonomy/treeLevels';
import { CommandArgs } from './args';
import {
  corpusFileFromPath,
  corpusOptions,
  corpusOptionSyntax,
  corpusOptionsUsage,
} from './corpusFile';
import {
  graphFileArgument,
  readGraphFile,
  treeOptions,
  treeOptionSyntax,
  treeOptionsUsage,
} from './graphInput';
import { writeOut } from './output';

const graphFormats = ['json', 'binary'] as const;

const graphSyntax = {
  usage:
    `steps graph <corpus-file> ${corpusOptionsUsage} ` +
    `[--weight ${edgeWeightings.join('|')}] [--min-count N] [--format ${graphFormats.join('|')}]`,
  positionals: ['<corpus-file>'],
  options: { ...corpusOptionSyntax, weight: 'value', 'min-count': 'value', format: 'value' },
} as const;

const treeSyntax = {
  usage: `steps tree ${graphFileArgument} ${treeOptionsUsage}`,
  positionals: [graphFileArgument],
  options: treeOptionSyntax,
};

/**
 * `graph`: prints the graph file of a corpus file: JSON (core/graph/graphFile.ts) or, with
 * `--format binary`, the binary form (core/graph/binaryGraphFile.ts), which loads far faster.
 */
export async function runGraph(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, graphSyntax);
  const [path] = args.positionals;
  const weighting = args.choice('weight', edgeWeightings, 'reference');
  const minCount = args.integer('min-count', 1, 1);
  const format = args.choice('format', graphFormats, 'json');

  const builder = new SkillGraphBuilder();
  const report = await importCorpus(await corpusFileFromPath(path), {
    ...corpusOptions(args),
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
  await writeOut(
    format === 'binary' ? graphToBinary(graph) : `${JSON.stringify(graphToFile(graph))}\n`,
  );
}

/**
 * `tree`: prints the tree's entropy measures and its communities, level by level; "note" when
 * levels that would only repeat the level above were left out, "warning" for a very sparse graph.
 */
export async function runTree(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, treeSyntax);
  const options = treeOptions(args);
  const graph = await readGraphFile(args.positionals[0]);
  const { tree, note, warning, measures, treeMs } = buildTaxonomy(graph, options);
  console.log(
    JSON.stringify({
      structuralEntropy: measures.structuralEntropy,
      firstOrderEntropy: measures.firstOrderEntropy,
      sweetSpot: measures.sweetSpot,
      levels: treeLevels(tree),
      ...(note && { note }),
      ...(warning && { warning: warning.message }),
      timingsMs: { tree: Math.round(treeMs * 10) / 10 },
    }),
  );
}
