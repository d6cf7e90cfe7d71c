/**
 * Phase 1 of the optimised encoding tree: a binary hierarchy over the skills by greedy
 * agglomeration of adjacent communities on the structural entropy.
 *
 * Start: every skill is its own community. The pair of adjacent communities whose merge lowers the
 * two-level structural entropy most is merged, again and again; with
 *   f(α) = ((vol(α) − g(α)) / V) · log2(vol(α) / V),
 * the two-level entropy is Σ f + const, and merging a and b (joined by weight w, so
 * g(a∪b) = g(a) + g(b) − 2w) changes it by ΔSE = f(a∪b) − f(a) − f(b). Merging continues past
 * ΔSE = 0 (those merges become the upper levels of the hierarchy) until no adjacent pair is left:
 * each connected component ends as one binary tree (a forest root). Different components and
 * isolated skills are never merged: for w = 0, ΔSE ≥ 0 and it means nothing structurally.
 * Node ids follow merge order, so children always have smaller ids than their parent.
 *
 * Cost: O(m log n) hash-table and heap operations, flat typed arrays only, no recursion.
 * - A merge keeps the slot of the community with the longer neighbour list and folds the other
 *   list into it, so an edge moves O(log n) times; pair weights live in a hash table.
 * - Every adjacent pair has a heap entry keyed by a lower bound of its ΔSE, and the table
 *   remembers that key. Entries name the slots as they were when pushed and are redirected to
 *   the current communities through a union-find over slots; an entry whose key is not the
 *   pair's remembered key has been superseded and is dropped.
 * - When a community grows, the keys of its pairs change. Growing without a new edge to x makes
 *   merging with x less attractive in practice (x's inner weight is diluted in a larger volume),
 *   so the old key remains a lower bound: a popped entry is re-keyed from the current state and
 *   put back if it no longer beats the heap's top (lazy re-keying). Only a pair whose weight grew,
 *   and whose new key beats its queued one, gets a fresh entry. Where the lower-bound assumption
 *   fails, that pair merges a little later than a strict greedy would take it.
 */
import { nodeCount, type SkillGraph } from '../graph/skillGraph';
import { NeighbourLists } from './optimisedNeighbourLists';
import { PairHeap } from './optimisedPairHeap';
import { PairWeights } from './optimisedPairWeights';

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

export function buildBinaryHierarchy(graph: SkillGraph): BinaryHierarchy {
  const n = nodeCount(graph);
  const { offsets, targets, weights } = graph;
  const maxNodes = Math.max(1, 2 * n - 1);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const parent = new Int32Array(maxNodes).fill(-1);
  const volume = new Float64Array(maxNodes);
  const cut = new Float64Array(maxNodes);

  // Communities live in slots 0..n-1; a merge keeps one of its two slots. Union-find over slots
  // maps a folded slot to the slot it went into. A live slot's volume, cut, f(α)·V and hierarchy
  // node sit together in `slot` (one cache line per community in the hot loop); a folded slot's
  // volume is set to -1.
  const slot = new Float64Array(4 * n);
  const mergedInto = new Int32Array(n);
  const pairs = new PairWeights(n, offsets[n] / 2);
  const lists = new NeighbourLists(n, 2 * offsets[n]);
  let graphVolume = 0;
  for (let u = 0; u < n; u++) {
    lists.open(u, offsets[u + 1] - offsets[u]);
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      volume[u] += weights[e];
      lists.append(u, targets[e]);
    }
    cut[u] = volume[u];
    slot[4 * u] = volume[u];
    slot[4 * u + 1] = volume[u];
    slot[4 * u + 3] = u;
    mergedInto[u] = u;
    graphVolume += volume[u];
  }
  const root = (s: number) => {
    while (mergedInto[s] !== s) {
      mergedInto[s] = mergedInto[mergedInto[s]];
      s = mergedInto[s];
    }
    return s;
  };

  const f = (vol: number, g: number) => (vol > 0 ? (vol - g) * Math.log2(vol / graphVolume) : 0);
  const mergeKey = (a: number, b: number, w: number) =>
    f(slot[4 * a] + slot[4 * b], slot[4 * a + 1] + slot[4 * b + 1] - 2 * w) -
    slot[4 * a + 2] -
    slot[4 * b + 2];

  const heap = new PairHeap(n, offsets[n] / 2);
  for (let u = 0; u < n; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const v = targets[e];
      if (u >= v) continue;
      const key = mergeKey(u, v, weights[e]);
      pairs.insert(u, v, weights[e], key);
      heap.push(key, u, v);
    }
  }

  let nodes = n;
  while (heap.size > 0) {
    const queued = heap.topKey();
    const a = root(heap.topLow());
    const b = root(heap.topHigh());
    heap.pop();
    if (a === b) continue;
    const at = pairs.find(a, b);
    if (queued !== pairs.queuedKey(at)) continue;
    const w = pairs.weight(at);
    const key = mergeKey(a, b, w);
    if (heap.size > 0 && key > heap.topKey()) {
      pairs.setQueuedKey(at, key);
      heap.push(key, a, b);
      continue;
    }

    const keep = lists.length[a] >= lists.length[b] ? a : b;
    const fold = keep === a ? b : a;
    const nodeA = slot[4 * a + 3];
    const nodeB = slot[4 * b + 3];
    const node = nodes++;
    left[node] = Math.min(nodeA, nodeB);
    right[node] = Math.max(nodeA, nodeB);
    parent[nodeA] = node;
    parent[nodeB] = node;
    volume[node] = volume[nodeA] + volume[nodeB];
    cut[node] = Math.max(0, cut[nodeA] + cut[nodeB] - 2 * w);
    slot[4 * keep] = volume[node];
    slot[4 * keep + 1] = cut[node];
    slot[4 * keep + 2] = f(volume[node], cut[node]);
    slot[4 * keep + 3] = node;
    slot[4 * fold] = -1;
    mergedInto[fold] = keep;
    pairs.remove(at);

    const folded = lists.length[fold];
    for (let k = 0; k < folded; k++) {
      // Re-read through `lists`: appending below may move the pool and the segments.
      const x = lists.entries[lists.start[fold] + k];
      if (x === keep || slot[4 * x] < 0) continue;
      const from = pairs.find(fold, x);
      if (from < 0) continue;
      const moved = pairs.weight(from);
      let lowest = pairs.queuedKey(from);
      pairs.remove(from);
      let total = moved;
      let to = pairs.find(keep, x);
      if (to >= 0) {
        total += pairs.weight(to);
        lowest = Math.min(lowest, pairs.queuedKey(to));
        pairs.setWeight(to, total);
        pairs.setQueuedKey(to, lowest);
      } else {
        to = pairs.insert(keep, x, total, lowest);
        lists.append(keep, x);
        lists.append(x, keep);
      }
      const fresh = mergeKey(keep, x, total);
      if (fresh < lowest) {
        pairs.setQueuedKey(to, fresh);
        heap.push(fresh, keep, x);
      }
    }
    lists.clear(fold);
  }

  return {
    skillCount: n,
    nodeCount: nodes,
    left: left.subarray(0, nodes),
    right: right.subarray(0, nodes),
    parent: parent.subarray(0, nodes),
    volume: volume.subarray(0, nodes),
    cut: cut.subarray(0, nodes),
    graphVolume,
  };
}
