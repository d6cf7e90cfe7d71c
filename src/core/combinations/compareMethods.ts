// STEPS against its baselines on one corpus, tree and k: each method chooses one set per start,
// and every method's sets are measured the same way.
import type { SkillGraph } from '../graph/skillGraph';
import type { EncodingTree } from '../taxonomy/encodingTree';
import {
  lowestCommonNode,
  searchCombinations,
  type SearchMode,
} from '../taxonomy/combinationSearch';
import { conditionalEntropyOfTerms, treeTerms, type EntropyMode } from '../taxonomy/entropy';
import { frequentSets, randomSets, type BaselineSet } from './baselines';
import { cooccurrence, partnerDiversity, type PartnerDiversity } from './combinationFacts';
import type { SampleIndex } from './sampleIndex';

/**
 * - `steps-local`: STEPS, widening one level per step (search mode `local`), at a coherence scope;
 * - `steps-most-coherent`: STEPS in the start's lowest community with room (`most-coherent`);
 * - `reference-global`: the paper code's global search, what its released pipeline ran;
 * - `reference-local`: the paper code's local chain (defect 5 in docs/method.md);
 * - `random`: uniform random sets, as Instruct-SkillMix draws them;
 * - `frequent`: the sets the corpus already carries most often.
 */
export type ComparedMethod =
  | 'steps-local'
  | 'steps-most-coherent'
  | 'reference-global'
  | 'reference-local'
  | 'random'
  | 'frequent';

export interface ComparisonOptions {
  /** k: skills per set, the start included. */
  size: number;
  /** Beam width of the searches. */
  beamWidth: number;
  /** Seed of the random sets. */
  seed: number;
  /** How H(Y | x) is measured, for the searches and for every method's sets alike. */
  entropyMode: EntropyMode;
  /** Start skills; every skill when absent. */
  starts?: number[];
  /** Called after each row with the rows measured so far and in all (for progress bars). */
  onRowDone?: (done: number, total: number) => void;
}

export interface MethodMeasures {
  method: ComparedMethod;
  /** The coherence scope of a STEPS row (0 = the root, no limit); absent for the others. */
  scope?: number;
  /** Sets measured: one per start. */
  sets: number;
  /** Sets with fewer than k skills (the reference's local chain, or a tight scope). */
  shortSets: number;
  /** Mean H(Y | x) of the sets, x the start: the information the method adds. */
  meanConditionalEntropy: number;
  /** Share of the sets that no sample of the corpus carries. */
  unseenShare: number;
  /** Mean level of the deepest community holding the whole set (0 = root): coherence. */
  meanCommonDepth: number;
  /** The most repeated partner skill's share of the sets, and the verdict on it. */
  partners: PartnerDiversity;
}

/**
 * One row per method, STEPS local first, then one `steps-local` row per coherence scope from 1
 * (the top-level community) to the tree's last level: the points of the entropy–coherence plane.
 */
export function compareMethods(
  graph: SkillGraph,
  tree: EncodingTree,
  index: SampleIndex,
  options: ComparisonOptions,
): MethodMeasures[] {
  if (index.skillCount !== tree.skillCount) {
    throw new Error(
      `the samples index ${index.skillCount} skills but the tree has ${tree.skillCount}`,
    );
  }
  const { size, beamWidth, seed, entropyMode } = options;
  const starts = options.starts ?? Array.from({ length: tree.skillCount }, (_, i) => i);
  const terms = treeTerms(graph, tree, entropyMode);
  const search = (mode: SearchMode, scope = 0): BaselineSet[] =>
    searchCombinations(terms, tree, { size, beamWidth, starts, mode, scope, perStart: 1 });

  const measure = (method: ComparedMethod, sets: BaselineSet[], scope?: number): MethodMeasures => {
    let entropy = 0;
    let unseen = 0;
    let depth = 0;
    let shortSets = 0;
    for (const { start, skills } of sets) {
      entropy += conditionalEntropyOfTerms(terms, [start], skills.slice(1));
      if (cooccurrence(index, skills) === 0) unseen++;
      depth += lowestCommonNode(tree, skills).level;
      if (skills.length < Math.min(size, tree.skillCount)) shortSets++;
    }
    const count = Math.max(sets.length, 1);
    return {
      method,
      ...(scope === undefined ? {} : { scope }),
      sets: sets.length,
      shortSets,
      meanConditionalEntropy: entropy / count,
      unseenShare: unseen / count,
      meanCommonDepth: depth / count,
      partners: partnerDiversity(sets, tree.skillCount),
    };
  };

  const rows: (() => MethodMeasures)[] = [
    () => measure('steps-local', search('local'), 0),
    () => measure('steps-most-coherent', search('most-coherent'), 0),
    () => measure('reference-global', search('reference-global')),
    () => measure('reference-local', search('reference-local')),
    () => measure('random', randomSets(tree.skillCount, starts, size, seed)),
    () => measure('frequent', frequentSets(index, starts, size)),
  ];
  for (let scope = 1; scope <= tree.height; scope++) {
    rows.push(() => measure('steps-local', search('local', scope), scope));
  }
  return rows.map((row, done) => {
    const measured = row();
    options.onRowDone?.(done + 1, rows.length);
    return measured;
  });
}
