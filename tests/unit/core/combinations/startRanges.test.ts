import { describe, expect, it } from 'vitest';
import {
  InRangeOrder,
  joinRangeTables,
  rangeSizeFor,
  startRanges,
  threadsFor,
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

describe('start ranges', () => {
  it('cut the starts into contiguous ranges covering each start once', () => {
    expect(startRanges(10, 4)).toEqual([
      { from: 0, to: 4 },
      { from: 4, to: 8 },
      { from: 8, to: 10 },
    ]);
    expect(startRanges(0, 3)).toEqual([]);
    expect(() => startRanges(5, 0)).toThrow(/rangeSize/);
    expect(rangeSizeFor(100_000, 2)).toBe(1000);
    expect(rangeSizeFor(10_000, 2)).toBe(625);
    expect(rangeSizeFor(3, 8)).toBe(1);
    // A thread for every hundred starts at most, and always one.
    expect(threadsFor(50, 2)).toBe(1);
    expect(threadsFor(150, 2)).toBe(2);
    expect(threadsFor(100_000, 8)).toBe(8);
    expect(threadsFor(0, 4)).toBe(1);
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
        const ranges = startRanges(n, 1 + Math.floor(random() * 6));
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
