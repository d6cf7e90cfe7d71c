// The STEPS method in reading order: corpus → skill graph → encoding tree (the taxonomy) →
// skill combinations of most conditional structural entropy → what the corpus says about them. Synthesis from those combinations
// follows in core/synthesis. The app's workers and the `steps` command line both run the method
// through this module; src/core/taxonomy/README.md walks the maths, docs/method.md says where this
// implementation differs from the paper's code.
import type { SkillGraph } from './graph/skillGraph';
import {
  searchCombinations,
  type Combination,
  type CombinationSearchOptions,
} from './taxonomy/combinationSearch';
import type { EncodingTree } from './taxonomy/encodingTree';
import {
  conditionalEntropyOfTerms,
  treeMeasures,
  treeTerms,
  type EntropyMode,
  type TreeMeasures,
} from './taxonomy/entropy';
import {
  assertUsableGraph,
  sparseGraphWarning,
  type SparseGraphWarning,
} from './graph/graphGuards';
import { buildOptimisedTree } from './taxonomy/optimisedTree';
import { repeatedLevelsNote, withoutRepeatedLevels } from './taxonomy/repeatedLevels';
import { buildTopDownTree } from './taxonomy/topDownTree';

// 1. The skill graph: feed each sample's skills to a SkillGraphBuilder as the corpus streams in,
//    then build it with an edge weighting and a minimum sample count per skill.
export {
  SkillGraphBuilder,
  edgeWeightings,
  type EdgeWeighting,
  type SkillGraphOptions,
} from './graph/buildSkillGraph';
export type { SkillGraph } from './graph/skillGraph';

// A graph without links or with one skill cannot be used (UnusableGraphError, thrown by the
// builders below); a very sparse one can, with a warning. Both messages say what to do.
export {
  UnusableGraphError,
  sparseGraphWarning,
  type SparseGraphWarning,
  type UnusableGraphReason,
} from './graph/graphGuards';

// 2. The taxonomy: an encoding tree of the graph, and its structural entropy.

/**
 * `top-down`: the paper's builder (taxonomy/topDownTree.ts). `optimised`: a tree of the same
 * height whose standard structural entropy is never higher (taxonomy/optimisedTree.ts).
 */
export type TreeBuilderName = 'top-down' | 'optimised';

export const treeBuilderNames: readonly TreeBuilderName[] = ['top-down', 'optimised'];

export { entropyModes, type EntropyMode, type TreeMeasures } from './taxonomy/entropy';
export type { EncodingTree } from './taxonomy/encodingTree';

export interface TreeOptions {
  /** Levels below the root. */
  levels: number;
  builder: TreeBuilderName;
}

export interface TaxonomyOptions extends TreeOptions {
  /** How the tree's entropy is measured: `standard` (textbook) or `reference` (the paper's code). */
  entropyMode: EntropyMode;
}

export interface BuiltTree {
  /** The tree, without levels that would only repeat the level above (so maybe fewer levels). */
  tree: EncodingTree;
  /** Says which levels were left out and why; absent when the tree has every level asked for. */
  note?: string;
}

export interface Taxonomy extends BuiltTree {
  /** H^T, H^1 and the sweet spot θ of the tree. */
  measures: TreeMeasures;
  /** Time the tree builder took. */
  treeMs: number;
  /** Set when most skills have at most two partners (graph/graphGuards.ts). */
  warning?: SparseGraphWarning;
}

/** The tree the builder makes; throws UnusableGraphError for a graph without two skills or links. */
export function buildTree(graph: SkillGraph, { levels, builder }: TreeOptions): BuiltTree {
  if (!treeBuilderNames.includes(builder)) {
    throw new Error(`builder: unknown tree builder ${JSON.stringify(builder)}`);
  }
  assertUsableGraph(graph);
  const built =
    builder === 'top-down' ? buildTopDownTree(graph, levels) : buildOptimisedTree(graph, levels);
  const { tree, repeated } = withoutRepeatedLevels(built);
  const note = repeatedLevelsNote(levels, repeated);
  return note === undefined ? { tree } : { tree, note };
}

export function buildTaxonomy(graph: SkillGraph, options: TaxonomyOptions): Taxonomy {
  const started = performance.now();
  const built = buildTree(graph, options);
  const treeMs = performance.now() - started;
  const warning = sparseGraphWarning(graph);
  return {
    ...built,
    measures: treeMeasures(graph, built.tree, options.entropyMode),
    treeMs,
    ...(warning && { warning }),
  };
}

// 3. The combinations: from each start skill, a beam search for the skill sets Y that maximise
//    H(Y | start) under the tree. As objects (`findCombinations`), or as typed arrays until they
//    are shown or written, a range of starts at a time (`StartRangeSearch` on the tree's
//    `treeTerms`): how an all-start search is split over threads (combinations/startRanges.ts).
export { treeTerms } from './taxonomy/entropy';
export {
  localSearchModes,
  searchModes,
  StartRangeSearch,
  tableCombination,
  tableCombinations,
  type Combination,
  type CombinationTable,
  type SearchMode,
  type TreeNodeRef,
} from './taxonomy/combinationSearch';

export interface CombinationsOptions extends CombinationSearchOptions {
  entropyMode: EntropyMode;
}

export function findCombinations(
  graph: SkillGraph,
  tree: EncodingTree,
  options: CombinationsOptions,
): Combination[] {
  return searchCombinations(treeTerms(graph, tree, options.entropyMode), tree, options);
}

/** H(target | given) under the tree: the quantity the search maximises, for one set. */
export function conditionalEntropy(
  graph: SkillGraph,
  tree: EncodingTree,
  given: number[],
  target: number[],
  mode: EntropyMode,
): number {
  return conditionalEntropyOfTerms(treeTerms(graph, tree, mode), given, target);
}

// 4. The combinations against the corpus: index the samples' skills once (SampleIndexBuilder,
//    streamed like the graph), then ask how often each combination occurs, how many chosen sets
//    are new, whether partners repeat, and how STEPS compares with its baselines.
export { SampleIndexBuilder, indexSamples, type SampleIndex } from './combinations/sampleIndex';
export {
  combinationFacts,
  combinationFrequencies,
  combinationSetFacts,
  cooccurrence,
  frequentInCorpus,
  frequentLeftOut,
  partnerDiversity,
  unseenShareBySize,
  type CombinationFacts,
  type CombinationFrequencies,
  type CombinationSetFacts,
  type FrequentLeftOut,
  type PartnerDiversity,
  type UnseenShare,
} from './combinations/combinationFacts';
export { frequentSets, randomSets, type BaselineSet } from './combinations/baselines';
export {
  compareMethods,
  type ComparedMethod,
  type ComparisonOptions,
  type MethodMeasures,
} from './combinations/compareMethods';
