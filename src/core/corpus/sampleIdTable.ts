/**
 * Finding a corpus's samples by id without an index entry per sample: the ids' hashes in import
 * order, and a hash table from hash to position. A hash only names candidates; the caller reads
 * the sample at each candidate position and compares ids, so two ids of the same hash are never
 * confused (with 53 bits, a million ids collide with a chance of about 1 in 10^4).
 */

/** A 53-bit hash of `id` (two 32-bit multiplicative hashes of its UTF-16 code units). */
export function sampleIdHash(id: string): number {
  let high = 0x811c9dc5;
  let low = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    high = Math.imul(high ^ unit, 0x01000193);
    low = Math.imul(low ^ unit, 0x5bd1e995);
    low ^= low >>> 15;
  }
  high ^= high >>> 13;
  high = Math.imul(high, 0xc2b2ae35);
  high ^= high >>> 16;
  low = Math.imul(low ^ (low >>> 16), 0x85ebca6b);
  low ^= low >>> 13;
  // 21 bits of one and 32 of the other: an integer below 2^53, exact in a double.
  return (high >>> 11) * 0x100000000 + (low >>> 0);
}

/** The hashes of samples at positions 0, 1, 2, … of one corpus, searchable by hash. */
export class SampleIdTable {
  #hashes = new Float64Array(1024);
  /** Open addressing: position + 1 of a sample in each slot, 0 when the slot is free. */
  #slots = new Int32Array(2048);
  #size = 0;

  /** Samples in the table: the next position `add` fills. */
  get size(): number {
    return this.#size;
  }

  /** Adds the hash of the sample at position `size`. */
  add(hash: number): void {
    if (this.#size === this.#hashes.length) {
      const hashes = new Float64Array(2 * this.#hashes.length);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    // At most half the slots in use, so probes stay short.
    if (2 * (this.#size + 1) > this.#slots.length) this.#rehash(2 * this.#slots.length);
    this.#hashes[this.#size] = hash;
    this.#place(this.#size++);
  }

  /** Positions of the samples whose id has this hash, ascending. */
  positionsOf(hash: number): number[] {
    const mask = this.#slots.length - 1;
    const positions: number[] = [];
    for (let slot = slotOf(hash, mask); this.#slots[slot] !== 0; slot = (slot + 1) & mask) {
      const position = this.#slots[slot] - 1;
      if (this.#hashes[position] === hash) positions.push(position);
    }
    return positions.sort((a, b) => a - b);
  }

  #place(position: number): void {
    const mask = this.#slots.length - 1;
    let slot = slotOf(this.#hashes[position], mask);
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = position + 1;
  }

  #rehash(capacity: number): void {
    this.#slots = new Int32Array(capacity);
    for (let position = 0; position < this.#size; position++) this.#place(position);
  }
}

/** The hash's low 32 bits (ToUint32 keeps them exactly for integers below 2^53), masked. */
function slotOf(hash: number, mask: number): number {
  return (hash >>> 0) & mask;
}
