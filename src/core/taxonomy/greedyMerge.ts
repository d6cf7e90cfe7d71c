import { nodeCount, type SkillGraph } from '../graph/skillGraph';
import { NeighbourLists } from './neighbourLists';
import { PairCache, RESCAN_NEEDED } from './pairCache';
import { PairWinnerTree, pairPrecedes } from './pairWinnerTree';

/**
 * The merges of one level in the order they were taken: community `high` joined `low` (labels,
 * low < high) across `between`, the weight between the two then. The optimised builder rebuilds
 * the first level's merges from it instead of running the same greedy again
 * (optimisedBinaryHierarchy.ts).
 */
export class MergeLog {
  low = new Int32Array(0);
  high = new Int32Array(0);
  between = new Float64Array(0);
  count = 0;

  add(low: number, high: number, between: number): void {
    if (this.count === this.low.length) {
      const capacity = Math.max(16, 2 * this.count);
      const grow = <T extends Int32Array | Float64Array>(old: T, fresh: T): T => {
        fresh.set(old);
        return fresh;
      };
      this.low = grow(this.low, new Int32Array(capacity));
      this.high = grow(this.high, new Int32Array(capacity));
      this.between = grow(this.between, new Float64Array(capacity));
    }
    this.low[this.count] = low;
    this.high[this.count] = high;
    this.between[this.count++] = between;
  }
}

/**
 * The key below which a merge of a community of volume V_s counts as lowering its entropy:
 * ΔSE = 2·key/V_s, so ΔSE < −1e-12 ⇔ key < −0.5e-12·V_s.
 */
export function loweringThreshold(subgraphVolume: number): number {
  return -0.5e-12 * subgraphVolume;
}

/**
 * The greedy merging of the top-down builder: splits every community of one tree level into
 * communities of the next, each on its own induced subgraph. Sized once per graph and reused by
 * every level. See `buildTopDownTree` for the method; this is how it is made fast.
 *
 * Communities are labelled by their smallest member. Candidate merges are ordered by
 * (key, low label, high label) with key = V_s·ΔSE/2 = inner(a∪b)·log2(vol(a∪b)/V_s) −
 * inner(a)·log2(vol(a)/V_s) − inner(b)·log2(vol(b)/V_s); only adjacent pairs with key below the
 * threshold are candidates.
 *
 * - A merge of a and b into c changes only the pairs of c; c recomputes all of them.
 * - Each pair belongs to one endpoint, the one of higher (rank, −label), where rank is the
 *   community's neighbour count when it was formed (so ownership changes only for pairs of a
 *   merging community). The merged community, which recomputes its pairs anyway, owns most of
 *   them; its small neighbours are not disturbed.
 * - Each community caches its best owned pairs (a `PairCache`, pairCache.ts): a neighbour list is
 *   rescanned only when the cache can no longer vouch for the best pair.
 * - A winner tree over the communities being split yields the best pair overall.
 */
export class GreedyMerger {
  private readonly n: number;
  /** Degree of each node inside its parent community, and log2 of its share of V_s. */
  private readonly localDegree: Float64Array;
  private readonly logShare: Float64Array;
  /** Per community label: volume, inner weight, inner·log2(volume/V_s). */
  private readonly volume: Float64Array;
  private readonly inner: Float64Array;
  private readonly innerLog: Float64Array;
  /** Neighbour count when the community was formed; decides pair ownership. */
  private readonly rank: Int32Array;
  /** Bumped whenever a community changes or is merged away. */
  private readonly version: Int32Array;

  /** Each community's best owned pairs. */
  private readonly cache: PairCache;

  /** Best candidate pair per community: key (Infinity: none) and partner. */
  private readonly bestKey: Float64Array;
  private readonly bestPartner: Int32Array;
  /** Per community, the communities whose best pair is with it: a doubly linked list. */
  private readonly watchHead: Int32Array;
  private readonly watchNext: Int32Array;
  private readonly watchPrevious: Int32Array;
  private readonly watching: Int32Array;
  /** Winner tree over the members of the community being split. */
  private readonly winners: PairWinnerTree;

  /** Neighbour lists of communities; a merged community keeps the smaller label. */
  private readonly lists: NeighbourLists;

  private mark = 0;
  /** Scratch: neighbours of a merged community to update, with their pair's key if theirs. */
  private readonly followUpLabel: Int32Array;
  private readonly followUpKey: Float64Array;
  private readonly followUpStamp: Int32Array;
  private readonly followUpIndex: Int32Array;

  private subgraphVolume = 1;
  private threshold = 0;
  /** Where the merges of the level being split are recorded, if anywhere. */
  private log: MergeLog | undefined;

  /**
   * @param cacheSize candidate pairs each community keeps between rescans of its neighbour list;
   *   a speed/memory trade-off only, the result does not depend on it.
   */
  constructor(
    private readonly graph: SkillGraph,
    cacheSize: number,
  ) {
    const n = nodeCount(graph);
    this.n = n;
    this.localDegree = new Float64Array(n);
    this.logShare = new Float64Array(n);
    this.volume = new Float64Array(n);
    this.inner = new Float64Array(n);
    this.innerLog = new Float64Array(n);
    this.rank = new Int32Array(n);
    this.version = new Int32Array(n);
    this.cache = new PairCache(n, cacheSize, this.version);
    this.bestKey = new Float64Array(n);
    this.bestPartner = new Int32Array(n);
    this.watchHead = new Int32Array(n).fill(-1);
    this.watchNext = new Int32Array(n);
    this.watchPrevious = new Int32Array(n);
    this.watching = new Int32Array(n).fill(-1);
    this.winners = new PairWinnerTree(this.bestKey, this.bestPartner);
    this.lists = new NeighbourLists(n, graph.targets.length);
    this.followUpLabel = new Int32Array(n);
    this.followUpKey = new Float64Array(n);
    this.followUpStamp = new Int32Array(n);
    this.followUpIndex = new Int32Array(n);
  }

  /**
   * Splits every community of a level (parentOf[node] in 0..parentCount-1) and returns, per
   * node, the label (smallest member) of its community in the next level. The merges are
   * appended to `log` when one is given.
   */
  partitionLevel(parentOf: Int32Array, parentCount: number, log?: MergeLog): Int32Array {
    const { n } = this;
    const memberStart = new Int32Array(parentCount + 1);
    for (let u = 0; u < n; u++) memberStart[parentOf[u] + 1]++;
    for (let p = 0; p < parentCount; p++) memberStart[p + 1] += memberStart[p];
    const members = new Int32Array(n);
    const fill = memberStart.slice(0, parentCount);
    for (let u = 0; u < n; u++) members[fill[parentOf[u]]++] = u;

    this.loadInducedLists(parentOf);
    this.log = log;
    for (let p = 0; p < parentCount; p++) {
      this.partitionCommunity(members.subarray(memberStart[p], memberStart[p + 1]));
    }
    this.log = undefined;
    const labelOf = new Int32Array(n);
    for (let u = 0; u < n; u++) labelOf[u] = this.lists.find(u);
    return labelOf;
  }

  /** Every node becomes a singleton community whose list holds its edges inside its parent. */
  private loadInducedLists(parentOf: Int32Array): void {
    const { offsets, targets, weights } = this.graph;
    const { lists } = this;
    let used = 0;
    for (let u = 0; u < this.n; u++) {
      const parent = parentOf[u];
      let degree = 0;
      lists.listStart[u] = used;
      for (let k = offsets[u]; k < offsets[u + 1]; k++) {
        const v = targets[k];
        if (parentOf[v] !== parent) continue;
        lists.targets[used] = v;
        lists.weights[used++] = weights[k];
        degree += weights[k];
      }
      lists.listLength[u] = used - lists.listStart[u];
      this.localDegree[u] = degree;
      this.volume[u] = degree;
      this.inner[u] = 0;
      this.innerLog[u] = 0;
      lists.unionParent[u] = u;
      this.rank[u] = lists.listLength[u];
      this.watchHead[u] = -1;
      this.watching[u] = -1;
    }
    lists.used = used;
  }

  /** Greedy merging inside one parent community (members ascending). */
  private partitionCommunity(members: Int32Array): void {
    if (members.length <= 1) return;
    let subgraphVolume = 0;
    for (const u of members) subgraphVolume += this.localDegree[u];
    if (subgraphVolume > 0) {
      this.subgraphVolume = subgraphVolume;
      this.threshold = loweringThreshold(subgraphVolume);
      for (const u of members) this.logShare[u] = Math.log2(this.localDegree[u] / subgraphVolume);
      for (const u of members) {
        this.fillSingletonCache(u);
        this.pickBest(u);
      }
      this.winners.build(members);
      for (;;) {
        const winner = this.winners.winner;
        if (this.bestKey[winner] === Infinity) break;
        const partner = this.bestPartner[winner];
        this.merge(Math.min(winner, partner), Math.max(winner, partner));
      }
    }
    for (const u of members) this.lists.listLength[u] = 0;
  }

  /** Key of merging a and b, joined by weight w; symmetric in a and b, bit for bit. */
  private pairKey(a: number, b: number, w: number): number {
    const mergedInner = this.inner[a] + this.inner[b] + w;
    const mergedVolume = this.volume[a] + this.volume[b];
    return (
      mergedInner * Math.log2(mergedVolume / this.subgraphVolume) -
      (this.innerLog[a] + this.innerLog[b])
    );
  }

  /** Whether pair (x, y) is x's to cache. */
  private owns(x: number, y: number): boolean {
    return this.rank[x] !== this.rank[y] ? this.rank[x] > this.rank[y] : x < y;
  }

  /** Merges community `high` into `low` (low < high) and updates the candidates. */
  private merge(low: number, high: number): void {
    // Every community whose best pair was with either side needs a new one.
    const followStamp = ++this.mark;
    let followUps = 0;
    for (let side = 0; side < 2; side++) {
      for (let x = this.watchHead[side === 0 ? low : high]; x >= 0; x = this.watchNext[x]) {
        if (x === low || x === high) continue;
        this.followUpStamp[x] = followStamp;
        this.followUpIndex[x] = followUps;
        this.followUpLabel[followUps] = x;
        this.followUpKey[followUps++] = Infinity;
      }
    }

    // Join both lists, labels resolved and weights summed; the weight between them turns inner.
    const { lists } = this;
    const count = lists.join(low, high);
    const { between, targets, weights } = lists;
    const start = lists.listStart[low];
    this.log?.add(low, high, between);

    const { volume, inner } = this;
    inner[low] = inner[low] + inner[high] + between;
    volume[low] += volume[high];
    this.innerLog[low] = inner[low] * Math.log2(volume[low] / this.subgraphVolume);
    this.rank[low] = count;
    this.version[low]++;
    this.version[high]++;
    this.setNoBest(high);
    this.winners.update(high);

    // Recompute every pair of low: low's own pairs fill its cache, the others are kept for their
    // owners, which are updated once low's best pair is settled.
    this.cache.clear(low);
    const logVolume = Math.log2(volume[low] / this.subgraphVolume);
    for (let i = 0; i < count; i++) {
      const x = targets[start + i];
      const w = weights[start + i];
      // Lower bound of the key without a logarithm (ln(1 + t) ≥ t/(1 + t), inner(x) term ≥ 0):
      // a big community's weakly attached neighbours are no candidates and need no log.
      const gain = (inner[low] * volume[x]) / ((volume[low] + volume[x]) * Math.LN2);
      const loss = w * logVolume;
      if (gain + loss - 1e-9 * (gain - loss) >= this.threshold) continue;
      const key = this.pairKey(low, x, w);
      if (!(key < this.threshold)) continue;
      if (this.owns(low, x)) {
        this.cache.offer(low, key, x);
      } else if (this.followUpStamp[x] === followStamp) {
        this.followUpKey[this.followUpIndex[x]] = key;
      } else {
        this.followUpStamp[x] = followStamp;
        this.followUpLabel[followUps] = x;
        this.followUpKey[followUps++] = key;
      }
    }
    this.pickBest(low);
    this.winners.update(low);

    for (let i = 0; i < followUps; i++) {
      const x = this.followUpLabel[i];
      const key = this.followUpKey[i];
      const bestWasMerged = this.watching[x] === low || this.watching[x] === high;
      const offered = key < this.threshold && this.cache.offer(x, key, low);
      if (bestWasMerged) {
        this.pickBest(x);
      } else if (offered && pairPrecedes(key, low, this.bestKey[x], this.bestPartner[x])) {
        this.setBest(x, key, low);
      } else {
        continue;
      }
      this.winners.update(x);
    }
  }

  /**
   * Fills a singleton's cache; its list, fresh from the graph, needs no deduplication. A
   * singleton pair's key is w·log2((d_u + d_v)/V_s) ≥ w·(log2(d_hi/V_s) + d_lo/d_hi), as
   * log2(1 + t) ≥ t on [0, 1]: a pair whose bound (less a margin far above rounding) does not
   * come before the cutoff would be turned away, so its logarithm is skipped. Once a hub's cache
   * is full, that is most of its pairs; the cache ends the same.
   */
  private fillSingletonCache(u: number): void {
    this.cache.clear(u);
    const { listStart, listLength, targets, weights } = this.lists;
    const { localDegree, logShare } = this;
    for (let k = listStart[u], end = k + listLength[u]; k < end; k++) {
      const v = targets[k];
      if (!this.owns(u, v)) continue;
      const w = weights[k];
      const high = localDegree[u] >= localDegree[v] ? u : v;
      const low = high === u ? v : u;
      const bound = w * (logShare[high] + localDegree[low] / localDegree[high]);
      if (!this.cache.admits(u, bound - 1e-9 * Math.abs(bound), v)) continue;
      const key = this.pairKey(u, v, w);
      if (key < this.threshold) this.cache.offer(u, key, v);
    }
  }

  /** Refills x's cache from its whole list, deduplicating the list in place. */
  private rescan(x: number): void {
    const count = this.lists.dedupe(x);
    const { listStart, targets, weights } = this.lists;
    const start = listStart[x];
    this.cache.clear(x);
    for (let i = 0; i < count; i++) {
      const y = targets[start + i];
      if (!this.owns(x, y)) continue;
      const key = this.pairKey(x, y, weights[start + i]);
      if (key < this.threshold) this.cache.offer(x, key, y);
    }
  }

  /** Sets x's best pair from its cache, rescanning x's list when the cache cannot vouch for it. */
  private pickBest(x: number): void {
    let slot = this.cache.firstLive(x);
    if (slot === RESCAN_NEEDED) {
      this.rescan(x);
      slot = this.cache.firstLive(x);
    }
    if (slot < 0) this.setNoBest(x);
    else this.setBest(x, this.cache.slotKey[slot], this.cache.slotPartner[slot]);
  }

  private setBest(x: number, key: number, partner: number): void {
    this.bestKey[x] = key;
    this.bestPartner[x] = partner;
    this.watch(x, partner);
  }

  private setNoBest(x: number): void {
    this.bestKey[x] = Infinity;
    this.watch(x, -1);
  }

  /** Moves x to the watch list of `partner` (-1: none). */
  private watch(x: number, partner: number): void {
    const old = this.watching[x];
    if (old === partner) return;
    if (old >= 0) {
      const previous = this.watchPrevious[x];
      const next = this.watchNext[x];
      if (previous >= 0) this.watchNext[previous] = next;
      else this.watchHead[old] = next;
      if (next >= 0) this.watchPrevious[next] = previous;
    }
    this.watching[x] = partner;
    if (partner >= 0) {
      const head = this.watchHead[partner];
      this.watchNext[x] = head;
      this.watchPrevious[x] = -1;
      if (head >= 0) this.watchPrevious[head] = x;
      this.watchHead[partner] = x;
    }
  }
}
