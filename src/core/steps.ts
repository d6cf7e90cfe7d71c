// The STEPS method in reading order: corpus → skill graph → encoding tree (the taxonomy) →
// skill combinations of most conditional structural entropy. Synthesis from those combinations
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
import { buildOptimisedTree } from './taxonomy/optimisedTree';
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

export interface Taxonomy {
  tree: EncodingTree;
  /** H^T, H^1 and the sweet spot θ of the tree. */
  measures: TreeMeasures;
  /** Time the tree builder took. */
  treeMs: number;
}

export function buildTree(graph: SkillGraph, { levels, builder }: TreeOptions): EncodingTree {
  switch (builder) {
    case 'top-down':
      return buildTopDownTree(graph, levels);
    case 'optimised':
      return buildOptimisedTree(graph, levels);
    default:
      throw new Error(`builder: unknown tree builder ${JSON.stringify(builder)}`);
  }
}

export function buildTaxonomy(graph: SkillGraph, options: TaxonomyOptions): Taxonomy {
  const started = performance.now();
  const tree = buildTree(graph, options);
  const treeMs = performance.now() - started;
  return { tree, measures: treeMeasures(graph, tree, options.entropyMode), treeMs };
}

// 3. The combinations: from each start skill, a beam search for the skill sets Y that maximise
//    H(Y | start) under the tree.
export {
  searchModes,
  type Combination,
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
