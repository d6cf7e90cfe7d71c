/**
 * The neighbour lists of merging communities, for the greedy merges of both tree builders (the
 * top-down builder's greedyMerge.ts and the optimised builder's optimisedAgglomeration.ts).
 *
 * Each community's list is a segment of one shared pool of (target, weight) entries. A merged
 * community keeps the smaller label (a union-find over labels), and lists are not rewritten when
 * a neighbour merges: entries may name labels merged away since, which `find` resolves. Joining
 * two lists, or deduplicating one, sums the weights per current community into `touched` and
 * `accumulated`, for the caller to key the pairs; `appendJoined` then writes the joined list at
 * the end of the pool, compacting the pool (or growing it) when it is full. A joined list that
 * was the last in the pool is overwritten, so a hub absorbing one neighbour after another keeps
 * its list in one place.
 */
export class NeighbourLists {
  readonly listStart: Int32Array;
  readonly listLength: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  /** Pool entries in use, live or dead. */
  used = 0;
  /** Union-find over labels: the community a label was merged into. */
  readonly unionParent: Int32Array;
  /** After `join` or `dedupe`: the distinct current neighbours, and their summed weights. */
  readonly touched: Int32Array;
  readonly accumulated: Float64Array;
  /** After `join`: the weight between the two joined communities. */
  between = 0;
  private readonly accumulatedMark: Int32Array;
  private mark = 0;
  /** Scratch: live communities by pool position, for compaction. */
  private readonly segmentOrder: Int32Array;

  constructor(size: number, capacity: number) {
    this.listStart = new Int32Array(size);
    this.listLength = new Int32Array(size);
    this.targets = new Int32Array(capacity);
    this.weights = new Float64Array(capacity);
    this.unionParent = new Int32Array(size);
    for (let x = 0; x < size; x++) this.unionParent[x] = x;
    this.touched = new Int32Array(size);
    this.accumulated = new Float64Array(size);
    this.accumulatedMark = new Int32Array(size);
    this.segmentOrder = new Int32Array(size);
  }

  find(label: number): number {
    const parent = this.unionParent;
    while (parent[label] !== label) {
      parent[label] = parent[parent[label]];
      label = parent[label];
    }
    return label;
  }

  /**
   * Merges `high` into `low` (low < high): both lists joined into `touched`/`accumulated` (the
   * weight between them in `between`), both lists emptied. Returns the neighbours' count.
   */
  join(low: number, high: number): number {
    const { listStart, listLength } = this;
    const lowStart = listStart[low];
    const lowEnd = lowStart + listLength[low];
    const highStart = listStart[high];
    const highEnd = highStart + listLength[high];
    this.unionParent[high] = low;
    const mark = ++this.mark;
    let count = 0;
    let between = 0;
    for (let side = 0; side < 2; side++) {
      const community = side === 0 ? low : high;
      for (let k = listStart[community], end = k + listLength[community]; k < end; k++) {
        const x = this.find(this.targets[k]);
        if (x === low) {
          if (side === 0) between += this.weights[k];
        } else if (this.accumulatedMark[x] !== mark) {
          this.accumulatedMark[x] = mark;
          this.accumulated[x] = this.weights[k];
          this.touched[count++] = x;
        } else {
          this.accumulated[x] += this.weights[k];
        }
      }
    }
    listLength[low] = 0;
    listLength[high] = 0;
    this.between = between;
    // Both lists are read now: any of them at the top of the pool is free again, so the joined
    // list of a community that keeps merging is written over its old one, not after it.
    if (lowStart < highStart) {
      this.freeTop(highStart, highEnd);
      this.freeTop(lowStart, lowEnd);
    } else {
      this.freeTop(lowStart, lowEnd);
      this.freeTop(highStart, highEnd);
    }
    return count;
  }

  /** Returns the segment [start, end) to the pool if it is the last one in use. */
  private freeTop(start: number, end: number): void {
    if (end === this.used) this.used = start;
  }

  /** Writes the `count` joined neighbours as `low`'s list, at the end of the pool. */
  appendJoined(low: number, count: number): void {
    this.reserve(count);
    const start = this.used;
    this.listStart[low] = start;
    this.listLength[low] = count;
    this.used += count;
    for (let i = 0; i < count; i++) {
      const x = this.touched[i];
      this.targets[start + i] = x;
      this.weights[start + i] = this.accumulated[x];
    }
  }

  /**
   * Deduplicates x's list in place, labels resolved and weights summed; the result is also in
   * `touched`/`accumulated`. Returns its length.
   */
  dedupe(x: number): number {
    const mark = ++this.mark;
    const start = this.listStart[x];
    let count = 0;
    for (let k = start, end = start + this.listLength[x]; k < end; k++) {
      const y = this.find(this.targets[k]);
      if (this.accumulatedMark[y] !== mark) {
        this.accumulatedMark[y] = mark;
        this.accumulated[y] = this.weights[k];
        this.touched[count++] = y;
      } else {
        this.accumulated[y] += this.weights[k];
      }
    }
    this.listLength[x] = count;
    for (let i = 0; i < count; i++) {
      const y = this.touched[i];
      this.targets[start + i] = y;
      this.weights[start + i] = this.accumulated[y];
    }
    return count;
  }

  /**
   * Makes room for `extra` entries at the end of the pool: slides the live segments down over
   * those of merged-away communities, and grows the pool if that is not enough.
   */
  private reserve(extra: number): void {
    if (this.used + extra <= this.targets.length) return;
    const { listStart, listLength } = this;
    let liveCount = 0;
    let live = 0;
    for (let x = 0; x < listLength.length; x++) {
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
      this.targets.copyWithin(used, start, end);
      this.weights.copyWithin(used, start, end);
      listStart[x] = used;
      used += end - start;
    }
    this.used = used;
    if (2 * (live + extra) > this.targets.length) {
      const capacity = 2 * (live + extra);
      const targets = new Int32Array(capacity);
      const weights = new Float64Array(capacity);
      targets.set(this.targets.subarray(0, used));
      weights.set(this.weights.subarray(0, used));
      this.targets = targets;
      this.weights = weights;
    }
  }
}
