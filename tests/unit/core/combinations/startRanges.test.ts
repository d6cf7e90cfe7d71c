import { describe, expect, it } from 'vitest';
import {
  InRangeOrder,
  joinRangeTables,
  shrinkingRanges,
  threadsFor,
  type StartRange,
} from '../../../../src/core/combinations/startRanges';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import {
  searchCombinationTable,
  searchModes,
  StartRangeSearch,
  type CombinationSearchOptions,
  type CombinationTable,
} from '../../../../src/core/taxonomy/combinationSearch';
import { treeTerms } from '../../../../src/core/taxonomy/entropy';
import { encodingTreeFromLevels } from '../taxonomy/levelsToTree';
import { randomGraph, randomLevels } from '../taxonomy/randomTrees';

/** The table's rows as plain data, to compare two tables exactly. */
function rowsOf(table: CombinationTable) {
  return Array.from({ length: table.count }, (_, r) => ({
    start: table.starts[r],
    skills: Array.from(table.skills.subarray(r * table.size, r * table.size + table.lengths[r])),
    score: table.scores[r],
  }));
}

/** `count` starts cut into ranges of `size` (the last shorter): many ranges even for few starts. */
function rangesOfSize(count: number, size: number): StartRange[] {
  const ranges: StartRange[] = [];
  for (let from = 0; from < count; from += size)
    ranges.push({ from, to: Math.min(count, from + size) });
  return ranges;
}

describe('start ranges', () => {
  it('use a thread for every hundred starts at most, and always one', () => {
    expect(threadsFor(50, 2)).toBe(1);
    expect(threadsFor(150, 2)).toBe(2);
    expect(threadsFor(100_000, 8)).toBe(8);
    expect(threadsFor(0, 4)).toBe(1);
  });

  it('shrinking ranges cover each start once, in order, ever smaller towards the end', () => {
    for (const [count, threads] of [
      [10_000, 2],
      [100_000, 8],
      [150, 2],
      [17, 4],
      [0, 2],
    ]) {
      const ranges = shrinkingRanges(count, threads);
      let from = 0;
      for (const [k, range] of ranges.entries()) {
        expect(range.from).toBe(from);
        expect(range.to).toBeGreaterThan(range.from);
        expect(range.to - range.from).toBeLessThanOrEqual(1000);
        // Never below 16 starts but for the last range, which takes what is left.
        if (k < ranges.length - 1) expect(range.to - range.from).toBeGreaterThanOrEqual(16);
        if (k > 0) {
          const before = ranges[k - 1];
          expect(range.to - range.from).toBeLessThanOrEqual(before.to - before.from);
        }
        from = range.to;
      }
      expect(from).toBe(count);
    }
    // 10,000 starts over two threads: a quarter of what is left each time, at most 1,000.
    const ranges = shrinkingRanges(10_000, 2);
    expect(ranges.slice(0, 7).map((r) => r.to - r.from)).toEqual([
      1000, 1000, 1000, 1000, 1000, 1000, 1000,
    ]);
    expect(ranges[7].to - ranges[7].from).toBe(750);
    expect(ranges.at(-1)!.to - ranges.at(-1)!.from).toBeLessThanOrEqual(16);
  });

  it('hands results on in range order, whatever order they arrive in', () => {
    const order = new InRangeOrder<string>();
    expect(order.put(2, 'c')).toEqual([]);
    expect(order.put(0, 'a')).toEqual(['a']);
    expect(order.put(1, 'b')).toEqual(['b', 'c']);
  });

  it('searched range by range, out of order, joined: exactly the one-thread search', () => {
    const random = mulberry32(4242);
    for (let c = 0; c < 12; c++) {
      const n = 8 + Math.floor(random() * 30);
      const graph = randomGraph(random, n, 0.1 + random() * 0.4);
      const levels = randomLevels(random, n, 1 + Math.floor(random() * 3), 4);
      const tree = encodingTreeFromLevels(levels, n);
      const terms = treeTerms(graph, tree, c % 3 === 0 ? 'reference' : 'standard');
      for (const mode of searchModes) {
        const options: CombinationSearchOptions = {
          size: 2 + Math.floor(random() * 5),
          beamWidth: 1 + Math.floor(random() * 8),
          mode,
          perStart: random() < 0.5 ? undefined : 1 + Math.floor(random() * 3),
          dedupeAcrossStarts: random() < 0.5,
        };
        const whole = searchCombinationTable(terms, tree, options);
        // Each range by a search of its own, as each thread has; the ranges finish in any order.
        const ranges = rangesOfSize(n, 1 + Math.floor(random() * 6));
        const arrival = ranges.map((_, i) => i).sort(() => random() - 0.5);
        const inOrder = new InRangeOrder<CombinationTable>();
        const tables: CombinationTable[] = [];
        for (const index of arrival) {
          const { from, to } = ranges[index];
          tables.push(
            ...inOrder.put(index, new StartRangeSearch(terms, tree, options).table(from, to)),
          );
        }
        const joined = joinRangeTables(options.size, tables, options.dedupeAcrossStarts ?? false);
        expect(rowsOf(joined), `${mode} ${JSON.stringify(options)}`).toEqual(rowsOf(whole));
      }
    }
  });
});
