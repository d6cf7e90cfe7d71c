import { PairWinnerTree, pairPrecedes } from './pairWinnerTree';

/**
 * The candidate merges of the binary hierarchy's greedy (optimisedBinaryHierarchy.ts): per
 * community, its best pairs in a small cache and its best pair; a winner tree over all
 * communities yields the best pair overall. The same design as the top-down builder's
 * GreedyMerger (greedyMerge.ts), without pair ownership: both communities of a pair cache it.
 *
 * Pairs are ordered by (key, low label, high label); the pairs of one community x, (x, partner),
 * by (key, partner), which is the same order. A cache holds up to `cacheSize` pairs of its
 * community and a cutoff: every pair of the community left out comes at or after the cutoff, so
 * the first live cached pair is the community's best, and only a cache that ran empty with pairs
 * left out needs its community's neighbour list rescanned. A cached pair dies when its partner
 * changes (the entry stamps the partner's version).
 */
export class CandidatePairs {
  /** Best pair per community: key (Infinity: none) and partner. */
  readonly bestKey: Float64Array;
  readonly bestPartner: Int32Array;

  /** `cacheSize` slots per community: key, partner, partner's version. */
  private readonly cacheKey: Float64Array;
  private readonly cachePartner: Int32Array;
  private readonly cacheStamp: Int32Array;
  private readonly cacheCount: Int32Array;
  /** Pairs left out of the cache come at or after this pair (key Infinity: none left out). */
  private readonly cutoffKey: Float64Array;
  private readonly cutoffPartner: Int32Array;

  /** Winner tree over all communities. */
  private readonly winners: PairWinnerTree;

  /** `version`: bumped by the caller whenever a community changes or is merged away. */
  constructor(
    communities: number,
    private readonly cacheSize: number,
    private readonly version: Int32Array,
  ) {
    this.bestKey = new Float64Array(communities).fill(Infinity);
    this.bestPartner = new Int32Array(communities).fill(-1);
    this.cacheKey = new Float64Array(communities * cacheSize);
    this.cachePartner = new Int32Array(communities * cacheSize);
    this.cacheStamp = new Int32Array(communities * cacheSize);
    this.cacheCount = new Int32Array(communities);
    this.cutoffKey = new Float64Array(communities).fill(Infinity);
    this.cutoffPartner = new Int32Array(communities);
    this.winners = new PairWinnerTree(this.bestKey, this.bestPartner);
    const all = new Int32Array(communities);
    for (let x = 0; x < communities; x++) all[x] = x;
    this.winners.build(all);
  }

  /** The community whose best pair comes first (its bestKey is Infinity when no pair is left). */
  get winner(): number {
    return this.winners.winner;
  }

  /**
   * Fills x's cache anew from all of x's candidate pairs, pairs[0..count) given as keys and
   * partners (distinct partners; both arrays are reordered): the first `cacheSize` pairs are
   * cached, and the first of the others becomes the cutoff.
   */
  fill(x: number, keys: Float64Array, partners: Int32Array, count: number): void {
    const { cacheSize } = this;
    const cached = Math.min(count, cacheSize);
    if (count > cacheSize) selectFirst(keys, partners, count, cacheSize);
    const base = x * cacheSize;
    for (let i = 0; i < cached; i++) this.writeSlot(base + i, keys[i], partners[i]);
    this.cacheCount[x] = cached;
    let cutoff = Infinity;
    let cutoffPartner = 0;
    for (let i = cached; i < count; i++) {
      if (pairPrecedes(keys[i], partners[i], cutoff, cutoffPartner)) {
        cutoff = keys[i];
        cutoffPartner = partners[i];
      }
    }
    this.cutoffKey[x] = cutoff;
    this.cutoffPartner[x] = cutoffPartner;
  }

  /**
   * Offers a pair (x, partner) to x's cache; returns whether it was kept. When the cache is
   * full, the later of the new pair and the last cached one is left out and becomes the cutoff.
   */
  offer(x: number, key: number, partner: number): boolean {
    if (!pairPrecedes(key, partner, this.cutoffKey[x], this.cutoffPartner[x])) return false;
    const { cacheSize, cacheKey, cachePartner } = this;
    const base = x * cacheSize;
    let count = this.cacheCount[x] === cacheSize ? this.dropStale(x) : this.cacheCount[x];
    if (count === cacheSize) {
      let last = base;
      for (let slot = base + 1; slot < base + cacheSize; slot++) {
        if (pairPrecedes(cacheKey[last], cachePartner[last], cacheKey[slot], cachePartner[slot])) {
          last = slot;
        }
      }
      if (!pairPrecedes(key, partner, cacheKey[last], cachePartner[last])) {
        this.cutoffKey[x] = key;
        this.cutoffPartner[x] = partner;
        return false;
      }
      this.cutoffKey[x] = cacheKey[last];
      this.cutoffPartner[x] = cachePartner[last];
      this.writeSlot(last, key, partner);
      return true;
    }
    this.writeSlot(base + count++, key, partner);
    this.cacheCount[x] = count;
    return true;
  }

  /**
   * Sets x's best pair from its cache. Returns false, changing nothing, when the cache holds no
   * live pair but pairs were left out: the caller then refills the cache from x's whole
   * neighbour list and calls again.
   */
  pickBest(x: number): boolean {
    const count = this.dropStale(x);
    if (count === 0 && this.cutoffKey[x] !== Infinity) return false;
    const { cacheKey, cachePartner } = this;
    const base = x * this.cacheSize;
    let first = -1;
    for (let slot = base; slot < base + count; slot++) {
      if (
        first < 0 ||
        pairPrecedes(cacheKey[slot], cachePartner[slot], cacheKey[first], cachePartner[first])
      ) {
        first = slot;
      }
    }
    if (first < 0) this.setBest(x, Infinity, -1);
    else this.setBest(x, cacheKey[first], cachePartner[first]);
    return true;
  }

  /** Makes (x, partner) x's best pair if it comes before the current one. */
  consider(x: number, key: number, partner: number): void {
    if (pairPrecedes(key, partner, this.bestKey[x], this.bestPartner[x])) {
      this.setBest(x, key, partner);
    }
  }

  setBest(x: number, key: number, partner: number): void {
    this.bestKey[x] = key;
    this.bestPartner[x] = partner;
    this.winners.update(x);
  }

  private writeSlot(slot: number, key: number, partner: number): void {
    this.cacheKey[slot] = key;
    this.cachePartner[slot] = partner;
    this.cacheStamp[slot] = this.version[partner];
  }

  /** Removes cached pairs whose partner changed since; returns the new count. */
  private dropStale(x: number): number {
    const { cacheKey, cachePartner, cacheStamp, version } = this;
    const base = x * this.cacheSize;
    let kept = 0;
    for (let slot = base, end = base + this.cacheCount[x]; slot < end; slot++) {
      const partner = cachePartner[slot];
      if (cacheStamp[slot] !== version[partner]) continue;
      cacheKey[base + kept] = cacheKey[slot];
      cachePartner[base + kept] = partner;
      cacheStamp[base + kept++] = cacheStamp[slot];
    }
    this.cacheCount[x] = kept;
    return kept;
  }
}

/**
 * Reorders pairs[0..count) (distinct partners) so that the first `first` of them in
 * (key, partner) order come first, in any order (Hoare's quickselect).
 */
function selectFirst(keys: Float64Array, partners: Int32Array, count: number, first: number): void {
  const target = first - 1;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const pivotKey = keys[middle];
    const pivotPartner = partners[middle];
    let i = low;
    let j = high;
    while (i <= j) {
      while (pairPrecedes(keys[i], partners[i], pivotKey, pivotPartner)) i++;
      while (pairPrecedes(pivotKey, pivotPartner, keys[j], partners[j])) j--;
      if (i <= j) {
        const key = keys[i];
        keys[i] = keys[j];
        keys[j] = key;
        const partner = partners[i];
        partners[i] = partners[j];
        partners[j] = partner;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else return;
  }
}
