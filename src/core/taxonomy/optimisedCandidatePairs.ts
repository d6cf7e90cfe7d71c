import { PairCache, RESCAN_NEEDED } from './pairCache';
import { PairWinnerTree, pairPrecedes } from './pairWinnerTree';

/**
 * The candidate merges of the binary hierarchy's greedy (optimisedBinaryHierarchy.ts): per
 * community, its best pairs in a small cache and its best pair; a winner tree over all
 * communities yields the best pair overall. The same design as the top-down builder's
 * GreedyMerger (greedyMerge.ts), without pair ownership: both communities of a pair cache it.
 *
 * Pairs are ordered by (key, low label, high label); the pairs of one community x, (x, partner),
 * by (key, partner), which is the same order. The caches are a `PairCache` (pairCache.ts): only
 * a cache that ran empty with pairs left out needs its community's neighbour list rescanned.
 */
export class CandidatePairs {
  /** Best pair per community: key (Infinity: none) and partner. */
  readonly bestKey: Float64Array;
  readonly bestPartner: Int32Array;

  private readonly cache: PairCache;
  /** Winner tree over all communities. */
  private readonly winners: PairWinnerTree;

  /** `version`: bumped by the caller whenever a community changes or is merged away. */
  constructor(communities: number, cacheSize: number, version: Int32Array) {
    this.bestKey = new Float64Array(communities).fill(Infinity);
    this.bestPartner = new Int32Array(communities).fill(-1);
    this.cache = new PairCache(communities, cacheSize, version);
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
   * partners (distinct partners; both arrays are reordered).
   */
  fill(x: number, keys: Float64Array, partners: Int32Array, count: number): void {
    this.cache.fill(x, keys, partners, count);
  }

  /** Offers a pair (x, partner) to x's cache; returns whether it was kept. */
  offer(x: number, key: number, partner: number): boolean {
    return this.cache.offer(x, key, partner);
  }

  /**
   * Sets x's best pair from its cache. Returns false, changing nothing, when the cache holds no
   * live pair but pairs were left out: the caller then refills the cache from x's whole
   * neighbour list and calls again.
   */
  pickBest(x: number): boolean {
    const slot = this.cache.firstLive(x);
    if (slot === RESCAN_NEEDED) return false;
    if (slot < 0) this.setBest(x, Infinity, -1);
    else this.setBest(x, this.cache.slotKey[slot], this.cache.slotPartner[slot]);
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
}
