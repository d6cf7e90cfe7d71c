/**
 * Phase 1 of the optimised encoding tree: a binary hierarchy over the skills by greedy
 * agglomeration of adjacent communities on the structural entropy.
 *
 * Start: every skill is its own community. The pair of adjacent communities whose merge lowers the
 * two-level structural entropy most is merged, again and again; with
 *   f(α) = ((vol(α) − g(α)) / V) · log2(vol(α) / V) = (2 · inner(α) / V) · log2(vol(α) / V),
 * the two-level entropy is Σ f + const, and merging a and b (joined by weight w, so
 * inner(a∪b) = inner(a) + inner(b) + w) changes it by ΔSE = f(a∪b) − f(a) − f(b). Pairs are
 * keyed by ΔSE · V/2 (the top-down builder's merge key, greedyMerge.ts, with the whole graph as
 * the community being split) and taken in (key, low label, high label) order, communities
 * labelled by their smallest skill. Merging continues past ΔSE = 0 (those merges become the upper
 * levels of the hierarchy) until no adjacent pair is left: each connected component ends as one
 * binary tree (a forest root). Different components and isolated skills are never merged: for
 * w = 0, ΔSE ≥ 0 and it means nothing structurally. Node ids follow merge order, so children
 * always have smaller ids than their parent.
 *
 * Exact greedy (optimisedAgglomeration.ts), flat typed arrays only, no recursion, in two stages
 * that take the same merges as one run would:
 * 1. On the skill graph, only the merges that lower the entropy (ΔSE < −1e-12, the top-down
 *    builder's threshold) are candidates, so a cheap bound rules out most pairs without a
 *    logarithm, and communities without such a pair hold no candidates at all. These are exactly
 *    the merges of the top-down tree's first level (the same greedy on the same key, with the
 *    whole graph as the community split, V_s = V), so when the top-down builder has recorded
 *    them (`MergeLog`, greedyMerge.ts) they are written from its log instead: the nodes' volumes
 *    and cuts follow from the weight between the merged parts.
 * 2. The communities left (the two-level optimum, a few thousand on 100k skills) become the
 *    vertices of a much smaller graph (its edge weights summed from the skill graph), and every
 *    adjacent pair is a candidate until each component is one tree.
 * Cost: the sum of merged communities' neighbour list lengths plus rescans of lists whose cached
 * candidates ran out; near O(m log n) on co-occurrence graphs, up to O(n·d) when one community
 * of d neighbours absorbs them one at a time (a star), as in the top-down builder.
 */
import { nodeCount, type SkillGraph } from '../graph/skillGraph';
import { loweringThreshold, type MergeLog } from './greedyMerge';
import { quotientGraph } from './optimisedQuotientGraph';
import {
  addMergeNode,
  Agglomeration,
  type CommunityGraph,
  type HierarchyNodes,
} from './optimisedAgglomeration';

export interface BinaryHierarchy {
  skillCount: number;
  /** Skills are nodes 0..skillCount-1; node skillCount + k is the k-th merge. */
  nodeCount: number;
  /** Children of a merge node (-1 for skills); children have smaller ids than their parent. */
  left: Int32Array;
  right: Int32Array;
  /** Parent node, -1 for a forest root (a child of the encoding tree's root). */
  parent: Int32Array;
  /** vol(α): the sum of its skills' weighted degrees. */
  volume: Float64Array;
  /** g(α): the weight of the edges leaving α. */
  cut: Float64Array;
  /** V: the graph volume, 2 · the total edge weight. */
  graphVolume: number;
}

/**
 * Candidate pairs each community caches between rescans of its list (speed only). In stage 2
 * every pair is a candidate and the communities are few, so they get more: up to 128, within
 * `communityCacheSlots` slots in all (16 bytes each).
 */
const skillCacheSize = 8;
const communityCacheSlots = 1 << 21;

/**
 * @param firstLevelMerges the top-down builder's level-1 merges (topDownTree.ts), when it has
 *   been built on this graph: stage 1 takes exactly those merges, so they are written from the log
 *   instead of being searched again.
 */
export function buildBinaryHierarchy(
  graph: SkillGraph,
  firstLevelMerges?: MergeLog,
): BinaryHierarchy {
  const n = nodeCount(graph);
  const { offsets, targets, weights } = graph;
  const maxNodes = Math.max(1, 2 * n - 1);
  const nodes: HierarchyNodes = {
    left: new Int32Array(maxNodes).fill(-1),
    right: new Int32Array(maxNodes).fill(-1),
    parent: new Int32Array(maxNodes).fill(-1),
    volume: new Float64Array(maxNodes),
    cut: new Float64Array(maxNodes),
    inner: new Float64Array(maxNodes),
    count: n,
  };
  let graphVolume = 0;
  for (let u = 0; u < n; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) nodes.volume[u] += weights[e];
    nodes.cut[u] = nodes.volume[u];
    graphVolume += nodes.volume[u];
  }
  if (firstLevelMerges) {
    const nodeOf = Int32Array.from({ length: n }, (_, u) => u);
    const { low, high, between } = firstLevelMerges;
    for (let i = 0; i < firstLevelMerges.count; i++) {
      nodeOf[low[i]] = addMergeNode(nodes, nodeOf[low[i]], nodeOf[high[i]], between[i]);
    }
  } else {
    const skills = {
      offsets,
      targets,
      weights,
      volume: nodes.volume.subarray(0, n),
      inner: new Float64Array(n),
      node: Int32Array.from({ length: n }, (_, u) => u),
    };
    const threshold = loweringThreshold(graphVolume);
    new Agglomeration(skills, graphVolume, threshold, skillCacheSize, nodes).run();
  }
  const communities = communitiesLeft(graph, nodes);
  const communityCount = communities.volume.length;
  const communityCacheSize = Math.min(
    128,
    Math.max(skillCacheSize, Math.floor(communityCacheSlots / Math.max(1, communityCount))),
  );
  new Agglomeration(communities, graphVolume, Infinity, communityCacheSize, nodes).run();

  const size = nodes.count;
  return {
    skillCount: n,
    nodeCount: size,
    left: nodes.left.subarray(0, size),
    right: nodes.right.subarray(0, size),
    parent: nodes.parent.subarray(0, size),
    volume: nodes.volume.subarray(0, size),
    cut: nodes.cut.subarray(0, size),
    graphVolume,
  };
}

/**
 * The graph of the communities stage 1 left (the hierarchy's roots so far), numbered by their
 * smallest skill: edge weights between them summed from the skill graph.
 */
function communitiesLeft(graph: SkillGraph, nodes: HierarchyNodes): CommunityGraph {
  const n = nodeCount(graph);
  // Children have smaller ids than their parent, so a downward sweep finds every node's root.
  const root = new Int32Array(nodes.count);
  for (let x = nodes.count - 1; x >= 0; x--) {
    const p = nodes.parent[x];
    root[x] = p < 0 ? x : root[p];
  }
  const index = new Int32Array(nodes.count).fill(-1);
  const groupOf = new Int32Array(n);
  const top: number[] = [];
  for (let u = 0; u < n; u++) {
    const r = root[u];
    if (index[r] < 0) {
      index[r] = top.length;
      top.push(r);
    }
    groupOf[u] = index[r];
  }
  const node = Int32Array.from(top);
  return {
    ...quotientGraph(graph, { groupOf, groupCount: node.length }),
    volume: Float64Array.from(top, (r) => nodes.volume[r]),
    inner: Float64Array.from(top, (r) => nodes.inner[r]),
    node,
  };
}
