import { nodeCount, type SkillGraph } from '../graph/skillGraph';
import type { EncodingTree } from './encodingTree';

/**
 * Structural entropy of a skill graph under an encoding tree (Li & Pan), and the conditional
 * entropies STEPS searches with.
 *
 * With d_i the weighted degree, V = Σ d_i, vol(α) = Σ_{i∈α} d_i and g(α) the weight of the edges
 * leaving α, every non-root tree node α carries the term −(g(α)/V)·log2(vol(α)/vol(parent(α))).
 * H^T is the sum of all terms; H(Y|X) sums the terms of the distinct tree nodes on Y's root paths
 * that are not on X's root paths.
 *
 * - `standard` (textbook): level-1 terms count (the root's volume is V) and every skill hangs as
 *   its own leaf below its last-level community, so every skill has a term of its own.
 * - `reference`: what the paper's code computes (defects 1–2 in docs/method.md). The root's volume is left at 0,
 *   so level-1 terms are 0; the leaves are the last-level communities, and only skills alone in
 *   their leaf community are seen by conditional entropies (others score 0 and exclude nothing).
 *   A community equal to its parent shares the parent's ID there; its term is 0 either way, so
 *   summing both, as here, gives the same value.
 */
export type EntropyMode = 'standard' | 'reference';

export const entropyModes: readonly EntropyMode[] = ['standard', 'reference'];

export interface TreeMeasures {
  /** H^T: the structural entropy of the graph under the tree. */
  structuralEntropy: number;
  /** H^1 = −Σ p_i log2 p_i with p_i = d_i / V. */
  firstOrderEntropy: number;
  /** θ = 1 − H^T / H^1 (0 when H^1 is 0). */
  sweetSpot: number;
}

/**
 * The tree's nodes with their volume, cut and term, flat. Nodes are numbered by depth: the root is
 * node 0, then the communities of level 1, 2, … in index order (community c of level l is node
 * depthStart[l] + c), then in standard mode one leaf per skill (skill i is node
 * depthStart[height + 1] + i).
 */
export interface TreeTerms {
  mode: EntropyMode;
  skillCount: number;
  /** V = Σ d_i. */
  graphVolume: number;
  /** Weighted degree per skill. */
  degrees: Float64Array;
  /** First node of each depth; length depthCount + 1 (depthCount = height + 1, + 1 more in standard mode). */
  depthStart: Int32Array;
  /** Parent node (-1 for the root). */
  parent: Int32Array;
  volume: Float64Array;
  /** Weight of the edges leaving the node (0 for the root). */
  cut: Float64Array;
  term: Float64Array;
  /** Nodes on a skill's root path below the root: height in reference mode, height + 1 in standard. */
  pathLength: number;
  /** paths[skill * pathLength + j]: the node at depth j + 1 on the skill's root path. */
  paths: Int32Array;
  /** 1 for the skills whose root path counts in conditional entropies (all in standard mode). */
  visible: Uint8Array;
}

/** Weighted degree of every node: the row sums of the CSR. */
function weightedDegrees(graph: SkillGraph): Float64Array {
  const n = nodeCount(graph);
  const degrees = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let sum = 0;
    for (let k = graph.offsets[u], end = graph.offsets[u + 1]; k < end; k++)
      sum += graph.weights[k];
    degrees[u] = sum;
  }
  return degrees;
}

/** Volumes, cuts and terms of every tree node, in O(m · height). */
export function treeTerms(graph: SkillGraph, tree: EncodingTree, mode: EntropyMode): TreeTerms {
  const n = nodeCount(graph);
  if (tree.skillCount !== n) {
    throw new Error(`tree has ${tree.skillCount} skills but the graph has ${n} nodes`);
  }
  const height = tree.height;
  const standard = mode === 'standard';
  const depthCount = height + 1 + (standard ? 1 : 0);
  const depthStart = new Int32Array(depthCount + 1);
  depthStart[1] = 1;
  for (let level = 1; level <= height; level++) {
    depthStart[level + 1] = depthStart[level] + tree.communityCount[level - 1];
  }
  if (standard) depthStart[height + 2] = depthStart[height + 1] + n;
  const total = depthStart[depthCount];

  const parent = new Int32Array(total);
  parent[0] = -1;
  for (let level = 1; level <= height; level++) {
    const parents = tree.communityParent[level - 1];
    const base = depthStart[level];
    const parentBase = depthStart[level - 1];
    for (let c = 0; c < parents.length; c++) parent[base + c] = parentBase + parents[c];
  }
  const lastBase = depthStart[height];
  const lastOf = height > 0 ? tree.communityOf[height - 1] : new Int32Array(n);
  if (standard) {
    const leafBase = depthStart[height + 1];
    for (let i = 0; i < n; i++) parent[leafBase + i] = lastBase + lastOf[i];
  }

  // Volumes bottom-up, so a parent's volume is never below a child's in floating point.
  const degrees = weightedDegrees(graph);
  const volume = new Float64Array(total);
  const cut = new Float64Array(total);
  for (let i = 0; i < n; i++) volume[lastBase + lastOf[i]] += degrees[i];
  for (let node = depthStart[height + 1] - 1; node >= 1; node--)
    volume[parent[node]] += volume[node];
  const graphVolume = volume[0];

  for (let level = 1; level <= height; level++) {
    const of = tree.communityOf[level - 1];
    const base = depthStart[level];
    for (let u = 0; u < n; u++) {
      const cu = of[u];
      let leaving = 0;
      for (let k = graph.offsets[u], end = graph.offsets[u + 1]; k < end; k++) {
        if (of[graph.targets[k]] !== cu) leaving += graph.weights[k];
      }
      cut[base + cu] += leaving;
    }
  }
  if (standard) {
    const leafBase = depthStart[height + 1];
    for (let i = 0; i < n; i++) {
      volume[leafBase + i] = degrees[i];
      cut[leafBase + i] = degrees[i];
    }
  }

  const term = new Float64Array(total);
  // The reference leaves the root's volume at 0, which zeroes every level-1 term.
  const firstCounted = standard ? 1 : depthStart[2];
  for (let node = firstCounted; node < total; node++) {
    const parentVolume = volume[parent[node]];
    if (volume[node] > 0 && parentVolume > 0) {
      term[node] = -(cut[node] / graphVolume) * Math.log2(volume[node] / parentVolume);
    }
  }

  const pathLength = depthCount - 1;
  const paths = new Int32Array(n * pathLength);
  for (let i = 0; i < n; i++) {
    let node = standard ? depthStart[height + 1] + i : lastBase + lastOf[i];
    for (let j = pathLength - 1; j >= 0; j--) {
      paths[i * pathLength + j] = node;
      node = parent[node];
    }
  }

  const visible = new Uint8Array(n);
  if (standard || height === 0) {
    visible.fill(1);
  } else {
    const leafSize = new Int32Array(tree.communityCount[height - 1]);
    for (let i = 0; i < n; i++) leafSize[lastOf[i]]++;
    for (let i = 0; i < n; i++) visible[i] = leafSize[lastOf[i]] === 1 ? 1 : 0;
  }

  return {
    mode,
    skillCount: n,
    graphVolume,
    degrees,
    depthStart,
    parent,
    volume,
    cut,
    term,
    pathLength,
    paths,
    visible,
  };
}

/** H^T: the sum of the terms of all non-root nodes, in node order (the reference's BFS order). */
function structuralEntropy(terms: TreeTerms): number {
  let sum = 0;
  for (let node = 1; node < terms.term.length; node++) sum += terms.term[node];
  return sum;
}

/** H^1 = −Σ p_i log2 p_i with p_i = d_i / V, over the skills of positive degree. */
function firstOrderEntropy(degrees: Float64Array, graphVolume: number): number {
  let sum = 0;
  for (let i = 0; i < degrees.length; i++) {
    const p = degrees[i] / graphVolume;
    if (p > 0) sum -= p * Math.log2(p);
  }
  return sum;
}

export function measuresOfTerms(terms: TreeTerms): TreeMeasures {
  const structural = structuralEntropy(terms);
  const firstOrder = firstOrderEntropy(terms.degrees, terms.graphVolume);
  return {
    structuralEntropy: structural,
    firstOrderEntropy: firstOrder,
    sweetSpot: firstOrder > 0 ? 1 - structural / firstOrder : 0,
  };
}

export function treeMeasures(
  graph: SkillGraph,
  tree: EncodingTree,
  mode: EntropyMode,
): TreeMeasures {
  return measuresOfTerms(treeTerms(graph, tree, mode));
}

/**
 * H(target | given): the terms of the distinct nodes on the targets' root paths that are not on
 * the given skills' root paths. Summed target by target, each path from its leaf upwards, as the
 * reference does. Covered nodes are closed upwards, so each walk stops at the first covered node.
 */
export function conditionalEntropyOfTerms(
  terms: TreeTerms,
  given: number[],
  target: number[],
): number {
  const covered = new Uint8Array(terms.term.length);
  given.forEach((skill, k) => {
    checkSkill(terms, skill, `given[${k}]`);
    cover(terms, covered, skill);
  });
  let sum = 0;
  target.forEach((skill, k) => {
    checkSkill(terms, skill, `target[${k}]`);
    sum = coverGain(terms, covered, skill, sum);
  });
  return sum;
}

/** Marks the skill's root path as covered (nothing for a skill the mode cannot see). */
function cover(terms: TreeTerms, covered: Uint8Array, skill: number): void {
  if (!terms.visible[skill]) return;
  const base = skill * terms.pathLength;
  for (let j = terms.pathLength - 1; j >= 0 && !covered[terms.paths[base + j]]; j--) {
    covered[terms.paths[base + j]] = 1;
  }
}

/** Adds the terms of the skill's uncovered path nodes to `sum` (leaf first), covering them. */
function coverGain(terms: TreeTerms, covered: Uint8Array, skill: number, sum: number): number {
  if (!terms.visible[skill]) return sum;
  const base = skill * terms.pathLength;
  for (let j = terms.pathLength - 1; j >= 0; j--) {
    const node = terms.paths[base + j];
    if (covered[node]) break;
    covered[node] = 1;
    sum += terms.term[node];
  }
  return sum;
}

function checkSkill(terms: TreeTerms, skill: number, field: string): void {
  if (!Number.isInteger(skill) || skill < 0 || skill >= terms.skillCount) {
    throw new Error(`${field}: ${skill} is not a skill id in 0..${terms.skillCount - 1}`);
  }
}
