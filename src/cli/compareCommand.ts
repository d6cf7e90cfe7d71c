// `steps compare`: STEPS against its baselines on one corpus file (src/core/combinations/
// compareMethods.ts): the corpus's graph and tree, then one set per start from every method.
import { nodeCount } from '../core/graph/skillGraph';
import {
  buildTaxonomy,
  compareMethods,
  edgeWeightings,
  indexSamples,
  SkillGraphBuilder,
} from '../core/steps';
import { CommandArgs } from './args';
import { corpusOptionSyntax, corpusOptionsUsage, readSampleSkills } from './corpusFile';
import { treeOptions, treeOptionSyntax, treeOptionsUsage } from './graphInput';

const compareSyntax = {
  usage:
    `steps compare <corpus-file> ${treeOptionsUsage} --size k [--beam B] [--seed S] ` +
    `[--weight ${edgeWeightings.join('|')}] [--min-count N] ${corpusOptionsUsage}`,
  positionals: ['<corpus-file>'],
  options: {
    ...treeOptionSyntax,
    ...corpusOptionSyntax,
    size: 'value',
    beam: 'value',
    seed: 'value',
    weight: 'value',
    'min-count': 'value',
  },
} as const;

/**
 * `compare`: prints {"corpus": {"samples", "skills", "edges"}, "tree": {"builder", "levels",
 * "note"?, "warning"?}, "size", "beam", "seed", "entropy", "methods": [...], "timingsMs"}. Each
 * method row gives its mean conditional entropy H(Y|x), the share of its sets unseen in the
 * corpus, the mean depth of their common community, and the share of rows holding its most
 * repeated partner (named). Beam 10 and seed 1 unless given.
 */
export async function runCompare(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, compareSyntax);
  const options = treeOptions(args);
  const size = args.integer('size', 2);
  const beamWidth = args.integer('beam', 1, 10);
  const seed = args.integer('seed', 0, 1);
  const weighting = args.choice('weight', edgeWeightings, 'reference');
  const minCount = args.integer('min-count', 1, 1);

  const started = performance.now();
  const { skills } = await readSampleSkills(args.positionals[0], args);
  const builder = new SkillGraphBuilder();
  for (const sampleSkills of skills) builder.add(sampleSkills);
  const graph = builder.build({ weighting, minCount });
  const index = indexSamples(graph.names, skills);
  const { tree, note, warning } = buildTaxonomy(graph, options);
  const rows = compareMethods(graph, tree, index, {
    size,
    beamWidth,
    seed,
    entropyMode: options.entropyMode,
  });
  process.stdout.write(
    `${JSON.stringify({
      corpus: {
        samples: index.sampleCount,
        skills: nodeCount(graph),
        edges: graph.targets.length / 2,
      },
      tree: {
        builder: options.builder,
        levels: tree.height,
        ...(note && { note }),
        ...(warning && { warning: warning.message }),
      },
      size,
      beam: beamWidth,
      seed,
      entropy: options.entropyMode,
      methods: rows.map((row) => ({
        method: row.method,
        ...(row.scope !== undefined && { scope: row.scope }),
        sets: row.sets,
        shortSets: row.shortSets,
        meanConditionalEntropy: row.meanConditionalEntropy,
        unseenShare: row.unseenShare,
        meanCommonDepth: row.meanCommonDepth,
        topPartnerShare: row.partners.topPartnerShare,
        topPartner:
          row.partners.topPartner === undefined ? null : graph.names[row.partners.topPartner],
        partners: row.partners.verdict,
      })),
      timingsMs: { total: Math.round(performance.now() - started) },
    })}\n`,
  );
}
