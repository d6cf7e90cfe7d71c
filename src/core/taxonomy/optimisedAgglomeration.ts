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
 *   union-find, weights summed) and all its pairs are keyed once.
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
  private readonly unionParent: Int32Array;
  private readonly version: Int32Array;
  private readonly candidates: CandidatePairs;

  /** Neighbour lists: segments of a shared pool, entries possibly naming merged-away labels. */
  private readonly listStart: Int32Array;
  private readonly listLength: Int32Array;
  private poolTargets: Int32Array;
  private poolWeights: Float64Array;
  private poolUsed: number;

  /** Scratch: neighbour weights accumulated while a list is joined or deduplicated, and keys. */
  private readonly accumulated: Float64Array;
  private readonly accumulatedMark: Int32Array;
  private readonly touched: Int32Array;
  private readonly touchedKey: Float64Array;
  /** Scratch: the candidate pairs of one community, for filling its cache. */
  private readonly pairKeys: Float64Array;
  private readonly pairPartners: Int32Array;
  private mark = 0;
  /** Scratch: live communities by pool position, for compaction. */
  private readonly segmentOrder: Int32Array;

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
    this.unionParent = new Int32Array(size);
    for (let x = 0; x < size; x++) this.unionParent[x] = x;
    this.version = new Int32Array(size);
    this.candidates = new CandidatePairs(size, cacheSize, this.version);
    this.listStart = Int32Array.from(graph.offsets.subarray(0, size));
    this.listLength = new Int32Array(size);
    for (let x = 0; x < size; x++) this.listLength[x] = graph.offsets[x + 1] - graph.offsets[x];
    // Room for merged lists past the graph's own, before the first compaction.
    const entries = graph.targets.length;
    this.poolTargets = new Int32Array(entries + (entries >> 1) + 16);
    this.poolWeights = new Float64Array(this.poolTargets.length);
    this.poolTargets.set(graph.targets);
    this.poolWeights.set(graph.weights);
    this.poolUsed = entries;
    this.accumulated = new Float64Array(size);
    this.accumulatedMark = new Int32Array(size);
    this.touched = new Int32Array(size);
    this.touchedKey = new Float64Array(size);
    this.pairKeys = new Float64Array(size);
    this.pairPartners = new Int32Array(size);
    this.segmentOrder = new Int32Array(size);
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
    for (let k = this.listStart[x], end = k + this.listLength[x]; k < end; k++) {
      const y = this.poolTargets[k];
      const w = this.poolWeights[k];
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
      this.rescanList(x);
      this.fillCandidates(x);
      this.candidates.pickBest(x);
    }
  }

  /** Deduplicates x's list in place, labels resolved. */
  private rescanList(x: number): void {
    const stamp = ++this.mark;
    const start = this.listStart[x];
    let count = 0;
    for (let k = start, end = start + this.listLength[x]; k < end; k++) {
      const y = this.find(this.poolTargets[k]);
      if (this.accumulatedMark[y] !== stamp) {
        this.accumulatedMark[y] = stamp;
        this.accumulated[y] = this.poolWeights[k];
        this.touched[count++] = y;
      } else {
        this.accumulated[y] += this.poolWeights[k];
      }
    }
    this.listLength[x] = count;
    for (let i = 0; i < count; i++) {
      const y = this.touched[i];
      this.poolTargets[start + i] = y;
      this.poolWeights[start + i] = this.accumulated[y];
    }
  }

  /** Merges community `high` into `low` (low < high) as the next hierarchy node. */
  private merge(low: number, high: number): void {
    // Join both lists; the weight between them turns inner.
    this.unionParent[high] = low;
    const stamp = ++this.mark;
    let count = 0;
    let between = 0;
    for (let side = 0; side < 2; side++) {
      const community = side === 0 ? low : high;
      for (let k = this.listStart[community], end = k + this.listLength[community]; k < end; k++) {
        const x = this.find(this.poolTargets[k]);
        if (x === low) {
          if (side === 0) between += this.poolWeights[k];
        } else if (this.accumulatedMark[x] !== stamp) {
          this.accumulatedMark[x] = stamp;
          this.accumulated[x] = this.poolWeights[k];
          this.touched[count++] = x;
        } else {
          this.accumulated[x] += this.poolWeights[k];
        }
      }
    }
    this.listLength[low] = 0;
    this.listLength[high] = 0;
    this.reservePool(count);

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

    // Write low's new list and key its pairs; settle low's best pair, then its neighbours'.
    const start = this.poolUsed;
    this.listStart[low] = start;
    this.listLength[low] = count;
    this.poolUsed += count;
    const logVolume = Math.log2(volume[low] / this.graphVolume);
    let pairs = 0;
    for (let i = 0; i < count; i++) {
      const x = this.touched[i];
      const w = this.accumulated[x];
      this.poolTargets[start + i] = x;
      this.poolWeights[start + i] = w;
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
      const x = this.poolTargets[start + i];
      const key = this.touchedKey[i];
      const partner = bestPartner[x];
      const offered = key !== Infinity && candidates.offer(x, key, low);
      if (partner === low || partner === high) this.pickBest(x);
      else if (offered) candidates.consider(x, key, low);
    }
  }

  /**
   * Makes room for `extra` entries at the end of the pool: slides the live segments down over
   * those of merged-away communities, and grows the pool if that is not enough.
   */
  private reservePool(extra: number): void {
    if (this.poolUsed + extra <= this.poolTargets.length) return;
    const { listStart, listLength } = this;
    let liveCount = 0;
    let live = 0;
    for (let x = 0; x < this.size; x++) {
      if (listLength[x] === 0) continue;
      this.segmentOrder[liveCount++] = x;
      live += listLength[x];
    }
    const bySegment = this.segmentOrder.subarray(0, liveCount);
    bySegment.sort((a, b) => listStart[a] - listStart[b]);
    let used = 0;
    for (const x of bySegment) {
      const start = listStart[x];
      const end = start + listLength[x];
      this.poolTargets.copyWithin(used, start, end);
      this.poolWeights.copyWithin(used, start, end);
      listStart[x] = used;
      used += end - start;
    }
    this.poolUsed = used;
    if (2 * (live + extra) > this.poolTargets.length) {
      const capacity = 2 * (live + extra);
      const targets = new Int32Array(capacity);
      const weights = new Float64Array(capacity);
      targets.set(this.poolTargets.subarray(0, used));
      weights.set(this.poolWeights.subarray(0, used));
      this.poolTargets = targets;
      this.poolWeights = weights;
    }
  }

  private find(label: number): number {
    const parent = this.unionParent;
    while (parent[label] !== label) {
      parent[label] = parent[parent[label]];
      label = parent[label];
    }
    return label;
  }
}
