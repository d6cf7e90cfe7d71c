/**
 * The neighbour lists of merging communities, for the greedy merges of both tree builders (the
 * top-down builder's greedyMerge.ts and the optimised builder's optimisedAgglomeration.ts).
 *
 * Each community's list is a segment of one shared pool of (target, weight) entries. A merged
 * community keeps the smaller label (a union-find over labels), and lists are not rewritten when
 * a neighbour merges: entries may name labels merged away since, which `find` resolves. Joining
 * two lists, or deduplicating one, sums the weights per current community and writes the result
 * as the community's list, which the caller then reads in order to key the pairs. A joined list
 * goes to the end of the pool, compacting the pool (or growing it) when it is full; one that was
 * the last in the pool is overwritten, so a hub absorbing one neighbour after another keeps its
 * list in one place.
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
  /** After `join`: the weight between the two joined communities. */
  between = 0;
  /**
   * Scratch of `join` and `dedupe`: the distinct current neighbours in first-seen order, and each
   * one's summed weight. Weights are positive, so 0 marks a label not seen yet: every entry is
   * set back to 0 as the result is written out (one random access per entry fewer than a mark).
   */
  private readonly touched: Int32Array;
  private readonly accumulated: Float64Array;
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
   * Merges `high` into `low` (low < high): both lists joined as `low`'s list (labels current,
   * weights summed, neighbours in first-seen order), `high`'s emptied, the weight between them in
   * `between`. Returns the joined list's length.
   */
  join(low: number, high: number): number {
    const { listStart, listLength, accumulated } = this;
    const lowStart = listStart[low];
    const lowEnd = lowStart + listLength[low];
    const highStart = listStart[high];
    const highEnd = highStart + listLength[high];
    this.unionParent[high] = low;
    let count = 0;
    let between = 0;
    for (let side = 0; side < 2; side++) {
      const community = side === 0 ? low : high;
      for (let k = listStart[community], end = k + listLength[community]; k < end; k++) {
        const x = this.find(this.targets[k]);
        if (x === low) {
          if (side === 0) between += this.weights[k];
        } else {
          const sum = accumulated[x];
          if (sum === 0) this.touched[count++] = x;
          accumulated[x] = sum + this.weights[k];
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
    this.reserve(count);
    listStart[low] = this.used;
    listLength[low] = count;
    this.writeOut(this.used, count);
    this.used += count;
    return count;
  }

  /** Returns the segment [start, end) to the pool if it is the last one in use. */
  private freeTop(start: number, end: number): void {
    if (end === this.used) this.used = start;
  }

  /** Writes the `count` touched neighbours and their weights from `start`, clearing the scratch. */
  private writeOut(start: number, count: number): void {
    const { touched, accumulated, targets, weights } = this;
    for (let i = 0; i < count; i++) {
      const x = touched[i];
      targets[start + i] = x;
      weights[start + i] = accumulated[x];
      accumulated[x] = 0;
    }
  }

  /**
   * Deduplicates x's list in place: labels resolved, weights summed, neighbours in first-seen
   * order. Returns its length.
   */
  dedupe(x: number): number {
    const { accumulated } = this;
    const start = this.listStart[x];
    let count = 0;
    for (let k = start, end = start + this.listLength[x]; k < end; k++) {
      const y = this.find(this.targets[k]);
      const sum = accumulated[y];
      if (sum === 0) this.touched[count++] = y;
      accumulated[y] = sum + this.weights[k];
    }
    this.listLength[x] = count;
    this.writeOut(start, count);
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
