/**
 * Per pair of adjacent communities: the total edge weight between them and the key of the heap
 * entry that currently speaks for the pair. An open-addressing hash table over unordered pairs,
 * with deletion (tombstones) because communities die when they are merged. A pair (low < high)
 * is stored as the number low · idBound + high next to its two values in one Float64Array, so a
 * probe touches one cache line. Lookups return a position, valid until the next `insert`.
 */
const empty = -1;
const tombstone = -2;
const stride = 3;
/** Rehash when live pairs and tombstones fill this share of the slots (linear probing)… */
const maxUsedLoad = 0.7;
/** …and double the table when live pairs alone fill more than this share. */
const maxLiveLoad = 0.35;

export class PairWeights {
  private table: Float64Array;
  private mask: number;
  private live = 0;
  private used = 0;

  /** `idBound`: ids are below it (keys stay exact integers while idBound² < 2^53). */
  constructor(
    private readonly idBound: number,
    expectedPairs: number,
  ) {
    let capacity = 16;
    while (maxLiveLoad * capacity < expectedPairs) capacity *= 2;
    this.table = new Float64Array(stride * capacity).fill(empty);
    this.mask = capacity - 1;
  }

  /** Position of the pair, -1 when absent. */
  find(a: number, b: number): number {
    const key = this.keyOf(a, b);
    const { table, mask } = this;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const at = table[stride * slot];
      if (at === key) return stride * slot;
      if (at === empty) return -1;
    }
  }

  weight(position: number): number {
    return this.table[position + 1];
  }
  queuedKey(position: number): number {
    return this.table[position + 2];
  }
  setWeight(position: number, weight: number): void {
    this.table[position + 1] = weight;
  }
  setQueuedKey(position: number, key: number): void {
    this.table[position + 2] = key;
  }

  /** Adds a pair that is not in the table yet; returns its position. */
  insert(a: number, b: number, weight: number, queuedKey: number): number {
    if (this.used + 1 > maxUsedLoad * (this.mask + 1)) this.rehash();
    const key = this.keyOf(a, b);
    let slot = hash(key) & this.mask;
    while (this.table[stride * slot] >= 0) slot = (slot + 1) & this.mask;
    const at = stride * slot;
    if (this.table[at] === empty) this.used++;
    this.table[at] = key;
    this.table[at + 1] = weight;
    this.table[at + 2] = queuedKey;
    this.live++;
    return at;
  }

  remove(position: number): void {
    this.table[position] = tombstone;
    this.live--;
  }

  private keyOf(a: number, b: number): number {
    return a < b ? a * this.idBound + b : b * this.idBound + a;
  }

  /** Drops the tombstones (live pairs only decrease while merging, so doubling is rare). */
  private rehash(): void {
    const old = this.table;
    const capacity =
      this.live > maxLiveLoad * (this.mask + 1) ? 2 * (this.mask + 1) : this.mask + 1;
    this.table = new Float64Array(stride * capacity).fill(empty);
    this.mask = capacity - 1;
    for (let from = 0; from < old.length; from += stride) {
      const key = old[from];
      if (key < 0) continue;
      let slot = hash(key) & this.mask;
      while (this.table[stride * slot] !== empty) slot = (slot + 1) & this.mask;
      this.table.set(old.subarray(from, from + stride), stride * slot);
    }
    this.used = this.live;
  }
}

/** A 32-bit mix of an integer key below 2^53. */
function hash(key: number): number {
  let h = Math.imul(key >>> 0, 0x9e3779b1) ^ Math.imul((key / 4294967296) >>> 0, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}
