/**
 * Which community's best candidate pair is merged next, for the greedy merges of both tree
 * builders (greedyMerge.ts, optimisedCandidatePairs.ts): a winner tree over communities by their
 * best pair (`bestKey`, `bestPartner`, kept by the caller), in (key, low label, high label) order,
 * a community without a pair (key Infinity) last. The caller calls `update` whenever a
 * community's best pair changes.
 */
export class PairWinnerTree {
  private winners = new Int32Array(2);
  private leafBase = 1;
  /** Each community's leaf, from the last `build`. */
  private readonly position: Int32Array;

  constructor(
    private readonly bestKey: Float64Array,
    private readonly bestPartner: Int32Array,
  ) {
    this.position = new Int32Array(bestKey.length);
  }

  /** The community whose best pair comes first (-1 without communities). */
  get winner(): number {
    return this.winners[1];
  }

  /** A tree over `communities`, whose best pairs are all set. */
  build(communities: ArrayLike<number>): void {
    let leafBase = 1;
    while (leafBase < communities.length) leafBase *= 2;
    if (this.winners.length < 2 * leafBase) this.winners = new Int32Array(2 * leafBase);
    const winners = this.winners;
    this.leafBase = leafBase;
    for (let i = 0; i < leafBase; i++) {
      const x = i < communities.length ? communities[i] : -1;
      winners[leafBase + i] = x;
      if (x >= 0) this.position[x] = i;
    }
    for (let node = leafBase - 1; node >= 1; node--) {
      winners[node] = this.better(winners[2 * node], winners[2 * node + 1]);
    }
  }

  /** Repairs the tree after x's best pair changed (all other leaves being up to date). */
  update(x: number): void {
    const winners = this.winners;
    for (let node = (this.leafBase + this.position[x]) >> 1; node >= 1; node >>= 1) {
      const previous = winners[node];
      const winner = this.better(winners[2 * node], winners[2 * node + 1]);
      winners[node] = winner;
      if (winner === previous && winner !== x) break;
    }
  }

  private better(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    return this.before(b, a) ? b : a;
  }

  /** Whether community a's best pair comes before community b's (no pair: last). */
  private before(a: number, b: number): boolean {
    const keyA = this.bestKey[a];
    const keyB = this.bestKey[b];
    if (keyA !== keyB) return keyA < keyB;
    if (keyA === Infinity) return a < b;
    const partnerA = this.bestPartner[a];
    const partnerB = this.bestPartner[b];
    const lowA = a < partnerA ? a : partnerA;
    const lowB = b < partnerB ? b : partnerB;
    if (lowA !== lowB) return lowA < lowB;
    return (a < partnerA ? partnerA : a) < (b < partnerB ? partnerB : b);
  }
}

/**
 * Order of two pairs of the same community x, (x, partner): by key, then by partner, which is the
 * order of (key, low label, high label) when both pairs contain x.
 */
export function pairPrecedes(
  key: number,
  partner: number,
  otherKey: number,
  otherPartner: number,
): boolean {
  return key < otherKey || (key === otherKey && partner < otherPartner);
}
