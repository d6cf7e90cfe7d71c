/**
 * The `optimised` tree builder: an encoding tree of exactly `levels` levels whose structural
 * entropy (standard mode: level-1 terms counted, skills hung as leaves) is never higher than the
 * `top-down` tree's (the paper's algorithm) and usually clearly lower: for 3 levels, 1–12 % lower
 * on all eleven benchmark graphs. Li–Pan / HCSE style, in four steps:
 *
 * 1. Merge hierarchy (optimisedBinaryHierarchy.ts): agglomerative merging of adjacent
 *    communities, greedy on the largest two-level SE decrease (then, past the 2-D optimum, the
 *    smallest increase) until each connected component is one binary tree. Exact greedy in the
 *    style of the top-down builder's merger (optimisedAgglomeration.ts: each merge rewrites the
 *    merged community's neighbour list and keys its pairs, per-community candidate caches, a
 *    winner tree), first on the skill graph, then on the graph of the 2-D optimum's communities.
 *    The first stage is the top-down tree's first level, so the top-down tree (step 4) is built
 *    first and its recorded level-1 merges are reused.
 * 2. Compression to `levels` (optimisedCompress.ts): which hierarchy nodes to keep as
 *    communities is decided by an exact dynamic program minimising the standard SE of the
 *    resulting tree of that height (the optimal compression of the hierarchy).
 *    O(n · depth · levels); a greedy level-by-level O(n · levels) fallback covers pathologically
 *    deep hierarchies.
 * 3. Refinement (optimisedRefine.ts): Louvain-style sweeps moving skills, then whole
 *    communities (on a graph of their own), to the sibling community (or a new one) where the
 *    tree's SE drops most, which frees the tree from the binary hierarchy's cuts. At most
 *    O(m + n) per sweep, a bounded number of sweeps.
 * 4. Safeguard: the top-down tree is built too (or passed in, with its recorded merges or
 *    without: then step 1 searches its first stage itself), and whichever tree has the lower
 *    standard SE is returned (steps 1–3 on a tie), so optimised ≤ top-down holds by construction.
 *
 * Why it is lower: top-down partitions each community on its own induced subgraph with local
 * volumes, one level at a time; steps 1–3 optimise the global entropy of the whole tree, and
 * step 2 chooses all levels jointly.
 *
 * Disconnected graphs and isolated skills: components are never merged (merging parts without an
 * edge between them never lowers SE), so each component is a forest root of the hierarchy, and
 * refinement only moves a unit to a community it has an edge into (or to a new one). Every
 * community therefore lies inside one component; the tree's root is the only node joining the
 * components (a small component usually stays one level-1 community, a large one is split). An
 * isolated skill (no co-occurring partner, degree 0) is a level-1 community of its own, repeated
 * down to the last level; its terms are 0.
 *
 * Nothing recurses. Times for 3 levels (CPU seconds on a 2-core machine, load ~1): 1.6k skills /
 * 41k edges ~0.1 s; 10k / 274k ~1.5 s; 100k / 2.8M 7.0–8.4 s in a fresh process (README.md,
 * section 5): the top-down tree 2.4–3.2 s, step 1 1.7–2.0 s from its first-level merges (~5 s
 * when it searches them itself; merges bound by memory latency), step 2 0.2–0.3 s, step 3
 * 2.1–2.8 s, step 4 0.26–0.33 s. A later machine of the same kind: 4.4–5.4 s at 100k.
 */
import type { SkillGraph } from '../graph/skillGraph';
import type { EncodingTree } from './encodingTree';
import { treeMeasures } from './entropy';
import { buildBinaryHierarchy } from './optimisedBinaryHierarchy';
import { compressHierarchy } from './optimisedCompress';
import { refineTree } from './optimisedRefine';
import { MergeLog } from './greedyMerge';
import { buildTopDownTree } from './topDownTree';

export interface OptimisedTreeOptions {
  /** The top-down tree of the same graph and height, when already built (saves building it again). */
  topDownTree?: EncodingTree;
  /** The first-level merges recorded while `topDownTree` was built (saves step 1's first stage). */
  firstLevelMerges?: MergeLog;
}

/**
 * Steps 1–3: the compressed and refined merge hierarchy, without the top-down safeguard.
 * `firstLevelMerges`: the top-down builder's level-1 merges on this graph, if recorded.
 */
export function buildMergeHierarchyTree(
  graph: SkillGraph,
  levels: number,
  firstLevelMerges?: MergeLog,
): EncodingTree {
  return refineTree(
    graph,
    compressHierarchy(buildBinaryHierarchy(graph, firstLevelMerges), levels),
  );
}

export interface OptimisedTreeChoice {
  tree: EncodingTree;
  chosen: 'merge-hierarchy' | 'top-down';
  /** Standard H^T of both candidates. */
  mergeHierarchyEntropy: number;
  topDownEntropy: number;
}

/** Step 4: the lower-entropy tree of the two (the merge-hierarchy tree on a tie). */
export function chooseOptimisedTree(
  graph: SkillGraph,
  mergeHierarchyTree: EncodingTree,
  topDownTree: EncodingTree,
): OptimisedTreeChoice {
  const { height, skillCount } = mergeHierarchyTree;
  if (topDownTree.height !== height || topDownTree.skillCount !== skillCount) {
    throw new Error(
      `topDownTree: expected ${height} levels over ${skillCount} skills, ` +
        `got ${topDownTree.height} levels over ${topDownTree.skillCount}`,
    );
  }
  const mergeHierarchyEntropy = treeMeasures(
    graph,
    mergeHierarchyTree,
    'standard',
  ).structuralEntropy;
  const topDownEntropy = treeMeasures(graph, topDownTree, 'standard').structuralEntropy;
  return mergeHierarchyEntropy <= topDownEntropy
    ? { tree: mergeHierarchyTree, chosen: 'merge-hierarchy', mergeHierarchyEntropy, topDownEntropy }
    : { tree: topDownTree, chosen: 'top-down', mergeHierarchyEntropy, topDownEntropy };
}

export function buildOptimisedTree(
  graph: SkillGraph,
  levels: number,
  options: OptimisedTreeOptions = {},
): EncodingTree {
  let { topDownTree, firstLevelMerges } = options;
  if (!topDownTree) {
    // The top-down tree's first level is step 1's first stage: record its merges to reuse them.
    firstLevelMerges = new MergeLog();
    topDownTree = buildTopDownTree(graph, levels, { firstLevelMerges });
  }
  const mergeHierarchyTree = buildMergeHierarchyTree(graph, levels, firstLevelMerges);
  return chooseOptimisedTree(graph, mergeHierarchyTree, topDownTree).tree;
}
