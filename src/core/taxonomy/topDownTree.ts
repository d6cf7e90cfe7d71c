import { nodeCount, type SkillGraph } from '../graph/skillGraph';
import type { EncodingTree } from './encodingTree';
import { GreedyMerger, type MergeLog } from './greedyMerge';

export interface TopDownTreeOptions {
  /**
   * Candidate merges each community keeps between rescans of its neighbours (default 8): trades
   * memory (16 bytes per skill and slot) against rescans; the tree does not depend on it.
   */
  candidateCacheSize?: number;
  /** Receives the first level's merges in order (the optimised builder reuses them). */
  firstLevelMerges?: MergeLog;
}

/**
 * The paper's tree builder (`find_k_dim_entropy_tree(k_dim)` of the authors' struct_entropy.py):
 * `levels` partitions under the root, built top-down. Each community of the level above is
 * partitioned on its own induced subgraph (local degrees d_i, local volume V_s) by greedy merging
 * from singletons: the pair whose merge lowers the community's 2-level structural entropy most is
 * merged, until no merge lowers it.
 *
 * With inner(α) the weight of the edges inside α and vol(α) = Σ_{i∈α} d_i, the 2-level entropy
 * is, up to a constant, Σ_α f(α) with f(α) = ((vol(α) − g(α))/V_s)·log2(vol(α)/V_s), where
 * vol − g = 2·inner. Merging a and b changes it by ΔSE = f(a∪b) − f(a) − f(b).
 *
 * - A merge happens only when ΔSE < −1e-12 (exact ties, e.g. two singletons without an edge, are
 *   not merges; the reference merged some of those by rounding: defect 3 in docs/method.md).
 * - Ties between equally good merges go to the first pair in (a < b) order, communities labelled
 *   by their smallest member, as the reference's `torch.min` over `torch.combinations`.
 * - Only adjacent communities can have ΔSE < 0 (for w(a,b) = 0 it is ≥ 0), so only they are
 *   candidates. So isolated nodes stay singletons and connected components are never merged.
 *
 * Cost per level: each merge recomputes the merged community's pairs, so the work is the sum of
 * merged communities' neighbour counts (greedyMerge.ts): near O(m log n) on co-occurrence graphs,
 * up to O(n·d) when one community of d neighbours absorbs nodes one at a time. No recursion.
 *
 * Communities of every level are numbered by their smallest member. A community that cannot be
 * split further (one skill, or the greedy kept it whole) appears again one level down.
 * `levels = 0` is the bare root, which is what the reference returns for k_dim ≤ 1; for
 * k_dim ≥ 2 the reference's tree is `levels = k_dim`.
 */
export function buildTopDownTree(
  graph: SkillGraph,
  levels: number,
  options: TopDownTreeOptions = {},
): EncodingTree {
  if (!Number.isInteger(levels) || levels < 0) {
    throw new Error(`levels must be a non-negative integer, got ${levels}`);
  }
  const candidateCacheSize = options.candidateCacheSize ?? 8;
  if (!Number.isInteger(candidateCacheSize) || candidateCacheSize < 1) {
    throw new Error(`candidateCacheSize must be a positive integer, got ${candidateCacheSize}`);
  }
  const n = nodeCount(graph);
  const merger = new GreedyMerger(graph, candidateCacheSize);
  const tree: EncodingTree = {
    skillCount: n,
    height: levels,
    communityOf: [],
    communityParent: [],
    communityCount: [],
  };
  let parentOf = new Int32Array(n);
  let parentCount = 1;
  for (let level = 1; level <= levels; level++) {
    const log = level === 1 ? options.firstLevelMerges : undefined;
    const labelOf = merger.partitionLevel(parentOf, parentCount, log);
    const communityOf = new Int32Array(n);
    const communityParent: number[] = [];
    for (let u = 0; u < n; u++) {
      // A community's label is its smallest member, met first in ascending order.
      if (labelOf[u] === u) {
        communityOf[u] = communityParent.length;
        communityParent.push(parentOf[u]);
      } else {
        communityOf[u] = communityOf[labelOf[u]];
      }
    }
    tree.communityOf.push(communityOf);
    tree.communityParent.push(Int32Array.from(communityParent));
    tree.communityCount.push(communityParent.length);
    parentOf = communityOf;
    parentCount = communityParent.length;
  }
  return tree;
}
