import { NeighbourLists } from './neighbourLists';
import { CandidatePairs } from './optimisedCandidatePairs';

/**
 * Communities to agglomerate: a graph in CSR form (no self-loops, positive weights) whose
 * vertices are communities with their own inner weight, each standing for a hierarchy node.
 */
export interface CommunityGraph {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  /** vol(α) and inner(α) (the weight of the edges inside α) per vertex. */
  volume: Float64Array;
  inner: Float64Array;
  /** Hierarchy node of each vertex. */
  node: Int32Array;
}

/** The merge nodes being written: node k's children, parent, volume, cut and inner weight. */
export interface HierarchyNodes {
  left: Int32Array;
  right: Int32Array;
  parent: Int32Array;
  volume: Float64Array;
  cut: Float64Array;
  inner: Float64Array;
  /** Nodes written so far; the next merge gets this id. */
  count: number;
}

/**
 * Writes the merge of the communities at nodes `nodeLow` and `nodeHigh` (of the lower and the
 * higher label), joined by weight `between`, as the next node and returns its id. The inner
 * weight is summed as the top-down builder's merger sums it (greedyMerge.ts), so keys computed
 * from it are the same to the bit.
 */
export function addMergeNode(
  h: HierarchyNodes,
  nodeLow: number,
  nodeHigh: number,
  between: number,
): number {
  const node = h.count++;
  h.left[node] = Math.min(nodeLow, nodeHigh);
  h.right[node] = Math.max(nodeLow, nodeHigh);
  h.parent[nodeLow] = node;
  h.parent[nodeHigh] = node;
  h.volume[node] = h.volume[nodeLow] + h.volume[nodeHigh];
  h.cut[node] = Math.max(0, h.cut[nodeLow] + h.cut[nodeHigh] - 2 * between);
  h.inner[node] = h.inner[nodeLow] + h.inner[nodeHigh] + between;
  return node;
}

/**
 * Greedy agglomeration of adjacent communities on the key ΔSE · V/2 of the two-level structural
 * entropy (see optimisedBinaryHierarchy.ts), exact: the pair of lowest (key, low label, high
 * label) is merged first, vertices being the labels and a merged community keeping the lower one.
 *
 * - A pair's key depends only on its two communities, so a merge of a and b into c changes only
 *   c's pairs. c's neighbour list is written anew (both lists joined, labels resolved through
 *   union-find, weights summed) and all its pairs are keyed once. Log-free bounds could spare
 *   the logarithm of the pairs no cache takes (two thirds of them past ΔSE = 0), but here a bound
 *   costs about what a key does (taxonomy README, section 5, step 1).
 * - Candidates (optimisedCandidatePairs.ts): each community caches its best few pairs with a
 *   cutoff, and a winner tree over the communities yields the best pair overall. c's cache is
 *   filled from all its pairs, and each new pair (c, x) is offered to x's cache; a community whose
 *   best pair died with a or b picks the next one from its cache, and rescans (and deduplicates)
 *   its own list only when the cache runs dry.
 * - Only pairs keyed below `threshold` are candidates. A cheap lower bound of the key (no
 *   logarithm) rules out most pairs of a big community with its weakly attached neighbours.
 */
export class Agglomeration {
  private readonly size: number;
  private readonly volume: Float64Array;
  private readonly inner: Float64Array;
  /** inner · log2(volume / V) per label. */
  private readonly innerLog: Float64Array;
  private readonly node: Int32Array;
  private readonly version: Int32Array;
  private readonly candidates: CandidatePairs;

  /** Neighbour lists; a merged community keeps the smaller label. */
  private readonly lists: NeighbourLists;

  /** Scratch: the key of each neighbour of a merged community (Infinity: no candidate). */
  private readonly touchedKey: Float64Array;
  /** Scratch: the candidate pairs of one community, for filling its cache. */
  private readonly pairKeys: Float64Array;
  private readonly pairPartners: Int32Array;

  constructor(
    graph: CommunityGraph,
    private readonly graphVolume: number,
    private readonly threshold: number,
    cacheSize: number,
    private readonly hierarchy: HierarchyNodes,
  ) {
    const size = graph.volume.length;
    this.size = size;
    this.volume = Float64Array.from(graph.volume);
    this.inner = Float64Array.from(graph.inner);
    this.innerLog = new Float64Array(size);
    for (let x = 0; x < size; x++) {
      if (this.inner[x] > 0) {
        this.innerLog[x] = this.inner[x] * Math.log2(this.volume[x] / graphVolume);
      }
    }
    this.node = Int32Array.from(graph.node);
    this.version = new Int32Array(size);
    this.candidates = new CandidatePairs(size, cacheSize, this.version);
    // Room for merged lists past the graph's own, before the first compaction.
    const entries = graph.targets.length;
    const lists = new NeighbourLists(size, entries + (entries >> 1) + 16);
    lists.listStart.set(graph.offsets.subarray(0, size));
    for (let x = 0; x < size; x++) lists.listLength[x] = graph.offsets[x + 1] - graph.offsets[x];
    lists.targets.set(graph.targets);
    lists.weights.set(graph.weights);
    lists.used = entries;
    this.lists = lists;
    this.touchedKey = new Float64Array(size);
    this.pairKeys = new Float64Array(size);
    this.pairPartners = new Int32Array(size);
  }

  /** Merges greedily while a pair keyed below the threshold is left. */
  run(): void {
    for (let x = 0; x < this.size; x++) {
      this.fillCandidates(x);
      this.pickBest(x);
    }
    const { bestKey, bestPartner } = this.candidates;
    for (;;) {
      const x = this.candidates.winner;
      if (x < 0 || bestKey[x] === Infinity) return;
      const y = bestPartner[x];
      this.merge(Math.min(x, y), Math.max(x, y));
    }
  }

  /** Key of merging a and b, joined by weight w; symmetric in a and b, bit for bit. */
  private pairKey(a: number, b: number, w: number): number {
    return (
      (this.inner[a] + this.inner[b] + w) *
        Math.log2((this.volume[a] + this.volume[b]) / this.graphVolume) -
      (this.innerLog[a] + this.innerLog[b])
    );
  }

  /**
   * Whether the pair (x, y) may be keyed below the threshold, by a lower bound of its key
   * (ln(1 + t) ≥ t/(1 + t) for x's inner term, y's inner term ≥ 0, log2(vol(x)/V) ≤ the merged one).
   */
  private mayQualify(x: number, y: number, w: number, logVolume: number): boolean {
    if (this.threshold === Infinity) return true;
    const gain = (this.inner[x] * this.volume[y]) / ((this.volume[x] + this.volume[y]) * Math.LN2);
    const loss = w * logVolume;
    return gain + loss - 1e-9 * (gain - loss) < this.threshold;
  }

  /** Fills x's cache from its list (deduplicated, labels current). */
  private fillCandidates(x: number): void {
    const logVolume = Math.log2(this.volume[x] / this.graphVolume);
    let count = 0;
    const { listStart, listLength, targets, weights } = this.lists;
    for (let k = listStart[x], end = k + listLength[x]; k < end; k++) {
      const y = targets[k];
      const w = weights[k];
      if (!this.mayQualify(x, y, w, logVolume)) continue;
      const key = this.pairKey(x, y, w);
      if (!(key < this.threshold)) continue;
      this.pairKeys[count] = key;
      this.pairPartners[count++] = y;
    }
    this.candidates.fill(x, this.pairKeys, this.pairPartners, count);
  }

  private pickBest(x: number): void {
    if (!this.candidates.pickBest(x)) {
      this.lists.dedupe(x);
      this.fillCandidates(x);
      this.candidates.pickBest(x);
    }
  }

  /** Merges community `high` into `low` (low < high) as the next hierarchy node. */
  private merge(low: number, high: number): void {
    // Join both lists; the weight between them turns inner.
    const { lists } = this;
    const count = lists.join(low, high);
    const { between, targets, weights } = lists;
    const start = lists.listStart[low];

    const h = this.hierarchy;
    const node = addMergeNode(h, this.node[low], this.node[high], between);
    this.node[low] = node;
    const { inner, volume, candidates } = this;
    inner[low] = h.inner[node];
    volume[low] = h.volume[node];
    this.innerLog[low] = inner[low] * Math.log2(volume[low] / this.graphVolume);
    this.version[low]++;
    this.version[high]++;
    candidates.setBest(high, Infinity, -1);

    // Key low's pairs; settle low's best pair, then its neighbours'.
    const logVolume = Math.log2(volume[low] / this.graphVolume);
    let pairs = 0;
    for (let i = 0; i < count; i++) {
      const x = targets[start + i];
      const w = weights[start + i];
      let key = Infinity;
      if (this.mayQualify(low, x, w, logVolume)) {
        key = this.pairKey(low, x, w);
        if (key < this.threshold) {
          this.pairKeys[pairs] = key;
          this.pairPartners[pairs++] = x;
        } else {
          key = Infinity;
        }
      }
      this.touchedKey[i] = key;
    }
    candidates.fill(low, this.pairKeys, this.pairPartners, pairs);
    this.pickBest(low);
    const { bestPartner } = candidates;
    for (let i = 0; i < count; i++) {
      const x = targets[start + i];
      const key = this.touchedKey[i];
      const partner = bestPartner[x];
      const offered = key !== Infinity && candidates.offer(x, key, low);
      if (partner === low || partner === high) this.pickBest(x);
      else if (offered) candidates.consider(x, key, low);
    }
  }
}
