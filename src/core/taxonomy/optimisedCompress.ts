/**
 * Phase 2 of the optimised encoding tree: compress a binary hierarchy to an encoding tree of
 * exactly `levels` levels, keeping the internal nodes whose combination has the lowest structural
 * entropy (standard: level-1 terms counted, skills hung as leaves).
 *
 * A compression keeps some hierarchy nodes as communities; a kept node's children in the encoding
 * tree are an antichain of its binary subtree (skills included, as singletons), and no root path
 * may hold more than `levels` kept nodes (shorter paths are padded by repeating a community one
 * level down, which costs nothing). With value(α, d) the least entropy of α's part of the tree
 * when α is kept with d levels below it (α's own term excluded),
 *   value(α, 0) = Σ_{i∈α} −(d_i/V)·log2(d_i/vol(α))                      (skills hung below α)
 *   value(α, d) = min( value(α, d−1),                                      (α repeated)
 *                      min over antichains C below α of
 *                      Σ_{c∈C} −(g(c)/V)·log2(vol(c)/vol(α)) + value(c, d−1) ),
 * and the inner minimum is one bottom-up pass over α's subtree:
 *   best(x) = min(−(g(x)/V)·log2(vol(x)/vol(α)) + value(x, d−1), best(left) + best(right)).
 * Nodes are renumbered in postorder so every subtree is a contiguous range and each pass is a
 * flat loop. The tree is read off top-down from the root (whose antichain spans the forest).
 *
 * Cost: the exact tables take Σ_α |subtree(α)| · (levels − 1) steps, i.e. O(n · depth · levels);
 * greedy merge hierarchies are shallow (depth ~20–90 on the power-law benchmark graphs). When that
 * sum exceeds `stepLimit` (a deep, chain-like hierarchy, e.g. a star graph), value(·, d−1) is
 * replaced by value(·, 0): every level is then chosen as if it were the last one (the greedy
 * level-by-level cut), and the cost is O(n · levels).
 */
import type { EncodingTree } from './encodingTree';
import type { BinaryHierarchy } from './optimisedBinaryHierarchy';

/** About a second of flat-loop steps. */
const exactStepLimit = 2e8;

/** Relative slack so that rounding alone never makes a split look better than keeping whole. */
const tieTolerance = 1e-12;

export function compressHierarchy(
  hierarchy: BinaryHierarchy,
  levels: number,
  stepLimit = exactStepLimit,
): EncodingTree {
  if (!Number.isInteger(levels) || levels < 1) {
    throw new Error(`levels must be a positive integer, got ${levels}`);
  }
  const { skillCount, nodeCount: size, graphVolume } = hierarchy;
  const post = postorder(hierarchy);
  const { left, right, first, skill, logVolume, cutShare } = post;

  // value(·, 0): the leaf terms of the skills below each node, in postorder.
  const leafValue = new Float64Array(size);
  const degreeLog = new Float64Array(size);
  for (let r = 0; r < size; r++) {
    if (left[r] < 0) {
      const volume = hierarchy.volume[skill[r]];
      degreeLog[r] = volume > 0 ? volume * Math.log2(volume) : 0;
    } else {
      degreeLog[r] = degreeLog[left[r]] + degreeLog[right[r]];
      const volume = hierarchy.volume[post.node[r]];
      leafValue[r] = (volume * Math.log2(volume) - degreeLog[r]) / graphVolume;
    }
  }

  const best = new Float64Array(size);
  const keepWhole = new Uint8Array(size);
  /** Fills best/keepWhole over ranks [from, to) for a parent of log-volume `parentLog`. */
  const pass = (from: number, to: number, parentLog: number, below: Float64Array) => {
    for (let r = from; r < to; r++) {
      const whole = below[r] - cutShare[r] * (logVolume[r] - parentLog);
      const split = left[r] < 0 ? Infinity : best[left[r]] + best[right[r]];
      const keep = whole <= split + tieTolerance * Math.abs(split);
      keepWhole[r] = keep ? 1 : 0;
      best[r] = keep ? whole : split;
    }
  };
  const splitValue = (r: number, below: Float64Array) => {
    pass(first[r], r, logVolume[r], below);
    return best[left[r]] + best[right[r]];
  };

  let steps = 0;
  for (let r = 0; r < size; r++) steps += r - first[r];
  const exact = steps * (levels - 1) <= stepLimit;
  const value: Float64Array[] = [leafValue];
  for (let d = 1; d < levels; d++) {
    if (!exact) {
      value.push(leafValue);
      continue;
    }
    const below = value[d - 1];
    const table = new Float64Array(size);
    for (let r = 0; r < size; r++) {
      if (left[r] >= 0) table[r] = Math.min(below[r], splitValue(r, below));
    }
    value.push(table);
  }

  // Read the tree off top-down. Level-1 communities: the best antichain of the whole forest.
  const rootLog = graphVolume > 0 ? Math.log2(graphVolume) : 0;
  pass(0, size, rootLog, value[levels - 1]);
  let communities = pickAntichain(post.roots, left, right, keepWhole);
  let parents = new Int32Array(communities.length);
  const tree: EncodingTree = {
    skillCount,
    height: levels,
    communityOf: [],
    communityParent: [],
    communityCount: [],
  };
  for (let level = 1; ; level++) {
    const order = communities
      .map((_, c) => c)
      .sort((a, b) => post.minSkill[communities[a]] - post.minSkill[communities[b]]);
    const index = new Int32Array(communities.length);
    order.forEach((c, i) => (index[c] = i));
    const communityOf = new Int32Array(skillCount);
    const communityParent = new Int32Array(communities.length);
    communities.forEach((r, c) => {
      communityParent[index[c]] = parents[c];
      for (let x = first[r]; x <= r; x++) if (left[x] < 0) communityOf[skill[x]] = index[c];
    });
    tree.communityOf.push(communityOf);
    tree.communityParent.push(communityParent);
    tree.communityCount.push(communities.length);
    if (level === levels) return tree;

    const below = value[levels - level - 1];
    const next: number[] = [];
    const nextParents: number[] = [];
    communities.forEach((r, c) => {
      let children = [r];
      if (left[r] >= 0) {
        const split = splitValue(r, below);
        if (below[r] > split + tieTolerance * Math.abs(split)) {
          children = pickAntichain([left[r], right[r]], left, right, keepWhole);
        }
      }
      for (const child of children) {
        next.push(child);
        nextParents.push(index[c]);
      }
    });
    communities = next;
    parents = Int32Array.from(nextParents);
  }
}

/** The nodes chosen by the last pass below `starts`: descend until a node is kept whole. */
function pickAntichain(
  starts: number[],
  left: Int32Array,
  right: Int32Array,
  keepWhole: Uint8Array,
): number[] {
  const chosen: number[] = [];
  const stack = starts.slice().reverse();
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (keepWhole[r]) chosen.push(r);
    else stack.push(right[r], left[r]);
  }
  return chosen;
}

/** The hierarchy renumbered in postorder (children first, every subtree a contiguous range). */
interface Postorder {
  /** Hierarchy node at each rank. */
  node: Int32Array;
  /** Ranks of the children (-1 for skills). */
  left: Int32Array;
  right: Int32Array;
  /** Rank of the first node of the subtree ending at each rank. */
  first: Int32Array;
  /** Skill id at a skill's rank. */
  skill: Int32Array;
  /** Smallest skill id below each rank (communities are numbered by it). */
  minSkill: Int32Array;
  /** log2 vol (0 for volume 0) and g / V of each rank. */
  logVolume: Float64Array;
  cutShare: Float64Array;
  /** Ranks of the forest roots, ascending. */
  roots: number[];
}

function postorder(hierarchy: BinaryHierarchy): Postorder {
  const { skillCount, nodeCount: size, left, right, parent, volume, cut, graphVolume } = hierarchy;
  // Root, right subtree, left subtree (reversed below: left, right, root); forest roots descending.
  const sequence = new Int32Array(size);
  const stack = new Int32Array(size);
  let length = 0;
  for (let top = size - 1; top >= 0; top--) {
    if (parent[top] >= 0) continue;
    let depth = 0;
    stack[depth++] = top;
    while (depth > 0) {
      const x = stack[--depth];
      sequence[length++] = x;
      if (left[x] >= 0) {
        stack[depth++] = left[x];
        stack[depth++] = right[x];
      }
    }
  }
  const node = sequence.reverse();
  const rank = new Int32Array(size);
  for (let r = 0; r < size; r++) rank[node[r]] = r;

  const post: Postorder = {
    node,
    left: new Int32Array(size),
    right: new Int32Array(size),
    first: new Int32Array(size),
    skill: new Int32Array(size).fill(-1),
    minSkill: new Int32Array(size),
    logVolume: new Float64Array(size),
    cutShare: new Float64Array(size),
    roots: [],
  };
  for (let r = 0; r < size; r++) {
    const x = node[r];
    if (x < skillCount) {
      post.left[r] = -1;
      post.right[r] = -1;
      post.first[r] = r;
      post.skill[r] = x;
      post.minSkill[r] = x;
    } else {
      const a = rank[left[x]];
      const b = rank[right[x]];
      post.left[r] = a;
      post.right[r] = b;
      post.first[r] = Math.min(post.first[a], post.first[b]);
      post.minSkill[r] = Math.min(post.minSkill[a], post.minSkill[b]);
    }
    post.logVolume[r] = volume[x] > 0 ? Math.log2(volume[x]) : 0;
    post.cutShare[r] = graphVolume > 0 ? cut[x] / graphVolume : 0;
    if (parent[x] < 0) post.roots.push(r);
  }
  return post;
}
