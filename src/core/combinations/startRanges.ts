// An all-start combination search split over threads: the starts cut into contiguous ranges,
// each range searched on its own (StartRangeSearch in src/core/taxonomy/combinationSearch.ts),
// and the ranges' tables joined in start order, so the result is exactly one thread's. The
// threads themselves live in workers/ and src/cli/; this is the arithmetic they share.
import {
  appendRows,
  bestPerSet,
  emptyTable,
  type CombinationTable,
} from '../taxonomy/combinationSearch';

/** Starts from..to: indexes into a search's starts. */
export interface StartRange {
  from: number;
  to: number;
}

/** Starts a thread is started for at least: fewer are searched sooner than a thread starts. */
const STARTS_PER_THREAD = 100;

/** The threads worth using for `count` starts, out of `threads`: at least one. */
export function threadsFor(count: number, threads: number): number {
  return Math.max(1, Math.min(threads, Math.ceil(count / STARTS_PER_THREAD)));
}

/** The most starts in one range: the rows waiting to be handed on in order stay bounded. */
const LARGEST_RANGE = 1000;

/** The fewest starts in a range while that many are left: each range costs a message or two. */
const SMALLEST_RANGE = 16;

/**
 * `count` starts cut into contiguous ranges for `threads` threads that each take the next range
 * as they finish one: each range a 1 / (2 × threads) share of the starts still left, at most
 * LARGEST_RANGE and at least SMALLEST_RANGE. The ranges shrink towards the end, so the threads
 * finish within a small range of each other; with ranges of one size, one may wait almost a
 * whole range for the other.
 */
export function shrinkingRanges(count: number, threads: number): StartRange[] {
  const share = 2 * Math.max(1, threads);
  const ranges: StartRange[] = [];
  for (let from = 0; from < count;) {
    const size = Math.max(
      SMALLEST_RANGE,
      Math.min(LARGEST_RANGE, Math.ceil((count - from) / share)),
    );
    const to = Math.min(count, from + size);
    ranges.push({ from, to });
    from = to;
  }
  return ranges;
}

/**
 * Results that arrive in any order handed on in range order: `put` stores range i's result and
 * returns the results that are now next in line (possibly none).
 */
export class InRangeOrder<T> {
  private readonly waiting = new Map<number, T>();
  private nextIndex = 0;

  put(index: number, result: T): T[] {
    this.waiting.set(index, result);
    const ready: T[] = [];
    while (this.waiting.has(this.nextIndex)) {
      ready.push(this.waiting.get(this.nextIndex)!);
      this.waiting.delete(this.nextIndex++);
    }
    return ready;
  }
}

/**
 * The tables of consecutive ranges, in start order, as one table: the whole search's, each skill
 * set kept once (its best row) when `dedupeAcrossStarts`.
 */
export function joinRangeTables(
  size: number,
  tables: readonly CombinationTable[],
  dedupeAcrossStarts: boolean,
): CombinationTable {
  let rows = 0;
  for (const table of tables) rows += table.count;
  const joined = emptyTable(size, rows);
  for (const table of tables) appendRows(joined, table);
  return dedupeAcrossStarts ? bestPerSet(joined) : joined;
}

/** The buffers of a table's arrays: handed to another thread, the table moves instead of copying. */
export function tableBuffers(table: CombinationTable): ArrayBuffer[] {
  const { starts, skills, lengths, scores } = table;
  return [starts, skills, lengths, scores].map((array) => array.buffer as ArrayBuffer);
}
