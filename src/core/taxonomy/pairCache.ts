import { pairPrecedes } from './pairWinnerTree';

/** `firstLive`: the cache holds no live pair, but pairs were left out of it. */
export const RESCAN_NEEDED = -2;
/** `firstLive`: the community has no candidate pair at all. */
export const NO_PAIR = -1;

/**
 * Per community, its best few candidate pairs, for the greedy merges of both tree builders
 * (greedyMerge.ts, optimisedCandidatePairs.ts), so that a community's neighbour list is rescanned
 * only when the cache can no longer vouch for its best pair.
 *
 * The pairs of one community x, (x, partner), are ordered by (key, partner) (`pairPrecedes`). A
 * cache holds up to `cacheSize` pairs and a cutoff: every pair of the community left out comes at
 * or after the cutoff (key Infinity: none left out). A pair enters only before the cutoff, and
 * the cutoff only drops to a pair after every cached one, so the first live cached pair is the
 * community's best. A cached pair dies when its partner changes: the slot stamps the partner's
 * version, which the caller bumps whenever a community changes or is merged away.
 */
export class PairCache {
  /** `cacheSize` slots per community (slot x·cacheSize + i): key, partner, partner's version. */
  readonly slotKey: Float64Array;
  readonly slotPartner: Int32Array;
  private readonly slotStamp: Int32Array;
  private readonly slotCount: Int32Array;
  private readonly cutoffKey: Float64Array;
  private readonly cutoffPartner: Int32Array;

  constructor(
    communities: number,
    private readonly cacheSize: number,
    private readonly version: Int32Array,
  ) {
    this.slotKey = new Float64Array(communities * cacheSize);
    this.slotPartner = new Int32Array(communities * cacheSize);
    this.slotStamp = new Int32Array(communities * cacheSize);
    this.slotCount = new Int32Array(communities);
    this.cutoffKey = new Float64Array(communities).fill(Infinity);
    this.cutoffPartner = new Int32Array(communities);
  }

  /** Empties x's cache, nothing left out. */
  clear(x: number): void {
    this.slotCount[x] = 0;
    this.cutoffKey[x] = Infinity;
  }

  /** Whether a pair (x, partner) of this key would enter x's cache: it comes before the cutoff. */
  admits(x: number, key: number, partner: number): boolean {
    return pairPrecedes(key, partner, this.cutoffKey[x], this.cutoffPartner[x]);
  }

  /**
   * Offers a pair (x, partner) to x's cache; returns whether it was kept. When the cache is
   * full, the later of the new pair and the last cached one is left out and becomes the cutoff.
   */
  offer(x: number, key: number, partner: number): boolean {
    if (!this.admits(x, key, partner)) return false;
    const { cacheSize, slotKey, slotPartner } = this;
    const base = x * cacheSize;
    let count = this.slotCount[x] === cacheSize ? this.dropStale(x) : this.slotCount[x];
    if (count === cacheSize) {
      let last = base;
      for (let slot = base + 1; slot < base + cacheSize; slot++) {
        if (pairPrecedes(slotKey[last], slotPartner[last], slotKey[slot], slotPartner[slot])) {
          last = slot;
        }
      }
      if (!pairPrecedes(key, partner, slotKey[last], slotPartner[last])) {
        this.cutoffKey[x] = key;
        this.cutoffPartner[x] = partner;
        return false;
      }
      this.cutoffKey[x] = slotKey[last];
      this.cutoffPartner[x] = slotPartner[last];
      this.writeSlot(last, key, partner);
      return true;
    }
    this.writeSlot(base + count++, key, partner);
    this.slotCount[x] = count;
    return true;
  }

  /**
   * Fills x's cache anew from all of x's candidate pairs, pairs[0..count) given as keys and
   * partners (distinct partners; both arrays are reordered): the first `cacheSize` pairs are
   * cached, and the first of the others becomes the cutoff. The same cache as offering them one
   * by one to an empty cache, in one pass.
   */
  fill(x: number, keys: Float64Array, partners: Int32Array, count: number): void {
    const { cacheSize } = this;
    const cached = Math.min(count, cacheSize);
    if (count > cacheSize) selectFirst(keys, partners, count, cacheSize);
    const base = x * cacheSize;
    for (let i = 0; i < cached; i++) this.writeSlot(base + i, keys[i], partners[i]);
    this.slotCount[x] = cached;
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
   * The slot of x's first live cached pair, which is x's best pair; `NO_PAIR` when x has none;
   * `RESCAN_NEEDED` when none is live but pairs were left out, so the caller refills the cache
   * from x's whole neighbour list and asks again.
   */
  firstLive(x: number): number {
    const count = this.dropStale(x);
    if (count === 0) return this.cutoffKey[x] === Infinity ? NO_PAIR : RESCAN_NEEDED;
    const { slotKey, slotPartner } = this;
    const base = x * this.cacheSize;
    let first = base;
    for (let slot = base + 1; slot < base + count; slot++) {
      if (pairPrecedes(slotKey[slot], slotPartner[slot], slotKey[first], slotPartner[first])) {
        first = slot;
      }
    }
    return first;
  }

  /** Removes cached pairs whose partner changed since; returns the new count. */
  dropStale(x: number): number {
    const { slotKey, slotPartner, slotStamp, version } = this;
    const base = x * this.cacheSize;
    let kept = 0;
    for (let slot = base, end = base + this.slotCount[x]; slot < end; slot++) {
      const partner = slotPartner[slot];
      if (slotStamp[slot] !== version[partner]) continue;
      slotKey[base + kept] = slotKey[slot];
      slotPartner[base + kept] = partner;
      slotStamp[base + kept++] = slotStamp[slot];
    }
    this.slotCount[x] = kept;
    return kept;
  }

  private writeSlot(slot: number, key: number, partner: number): void {
    this.slotKey[slot] = key;
    this.slotPartner[slot] = partner;
    this.slotStamp[slot] = this.version[partner];
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
