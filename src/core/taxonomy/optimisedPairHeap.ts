/**
 * A min-heap of community pairs keyed by a number. Entries are [key, pair] in one growable
 * Float64Array, the pair packed as low · idBound + high, so moving an entry touches one cache
 * line; four children per node halve the depth of a binary heap and keep siblings' keys together.
 * At millions of entries the heap is memory-bound, and this layout is what keeps it fast.
 * Entries are never updated in place: callers push a fresh entry and recognise stale ones when
 * they pop them (lazy deletion).
 */
export class PairHeap {
  private entries: Float64Array;
  size = 0;

  constructor(
    private readonly idBound: number,
    capacity: number,
  ) {
    this.entries = new Float64Array(2 * Math.max(16, capacity));
  }

  topKey(): number {
    return this.entries[0];
  }
  topLow(): number {
    return Math.floor(this.entries[1] / this.idBound);
  }
  topHigh(): number {
    return this.entries[1] - this.topLow() * this.idBound;
  }

  push(key: number, a: number, b: number): void {
    if (2 * this.size === this.entries.length) this.grow();
    const entries = this.entries;
    const pair = a < b ? a * this.idBound + b : b * this.idBound + a;
    let at = this.size++;
    while (at > 0) {
      const up = (at - 1) >> 2;
      if (entries[2 * up] <= key) break;
      entries[2 * at] = entries[2 * up];
      entries[2 * at + 1] = entries[2 * up + 1];
      at = up;
    }
    entries[2 * at] = key;
    entries[2 * at + 1] = pair;
  }

  /** Removes the top entry (read it with the top… accessors first). */
  pop(): void {
    const entries = this.entries;
    const last = --this.size;
    if (last === 0) return;
    const key = entries[2 * last];
    const pair = entries[2 * last + 1];
    let at = 0;
    for (;;) {
      const firstChild = 4 * at + 1;
      if (firstChild >= last) break;
      let child = firstChild;
      const end = Math.min(firstChild + 4, last);
      for (let other = firstChild + 1; other < end; other++) {
        if (entries[2 * other] < entries[2 * child]) child = other;
      }
      if (entries[2 * child] >= key) break;
      entries[2 * at] = entries[2 * child];
      entries[2 * at + 1] = entries[2 * child + 1];
      at = child;
    }
    entries[2 * at] = key;
    entries[2 * at + 1] = pair;
  }

  private grow(): void {
    const entries = new Float64Array(2 * this.entries.length);
    entries.set(this.entries);
    this.entries = entries;
  }
}
