import { describe, expect, it } from 'vitest';
import { indexSamples } from '../../../../src/core/combinations/sampleIndex';
import { SkillGraphBuilder } from '../../../../src/core/graph/buildSkillGraph';
import {
  longTail,
  neighbourhood,
  skillOrder,
  skillTable,
  TABLE_NEIGHBOURS,
} from '../../../../src/core/explore/skillStats';

const samples = [
  ['a', 'b', 'c'],
  ['a', 'b'],
  ['a', 'b'],
  ['a', 'c'],
  ['a', 'd'],
  ['b', 'c'],
  ['e'],
];
const builder = new SkillGraphBuilder();
for (const skills of samples) builder.add(skills);
const graph = builder.build({ weighting: 'count' });
const id = (name: string) => graph.names.indexOf(name);

describe('skill table', () => {
  const table = skillTable(graph);

  it('counts partners, sums weights and keeps the strongest neighbours first', () => {
    const a = id('a');
    expect(table.degrees[a]).toBe(3);
    expect(table.strengths[a]).toBe(3 + 2 + 1);
    const row = [...table.neighbours.subarray(a * TABLE_NEIGHBOURS, (a + 1) * TABLE_NEIGHBOURS)];
    expect(row.map((s) => graph.names[s])).toEqual(['b', 'c', 'd']);
    const e = id('e');
    expect(table.degrees[e]).toBe(0);
    expect([
      ...table.neighbours.subarray(e * TABLE_NEIGHBOURS, (e + 1) * TABLE_NEIGHBOURS),
    ]).toEqual([-1, -1, -1]);
  });

  it('sorts and filters the rows the table shows, ties by id', () => {
    const names = (order: Int32Array) => [...order].map((s) => graph.names[s]);
    expect(
      names(skillOrder(graph, table, { sortBy: 'name', descending: true, filter: '' })),
    ).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(
      names(skillOrder(graph, table, { sortBy: 'samples', descending: false, filter: '' })),
    ).toEqual(['d', 'e', 'c', 'b', 'a']);
    expect(
      names(skillOrder(graph, table, { sortBy: 'degree', descending: true, filter: ' B ' })),
    ).toEqual(['b']);
    expect(
      names(skillOrder(graph, table, { sortBy: 'strength', descending: true, filter: '' })),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('long tail', () => {
  it('gives samples by rank and skills by samples', () => {
    const tail = longTail(Int32Array.from([1, 5, 1, 2, 9]));
    expect(tail.byRank).toEqual([
      { rank: 1, samples: 9 },
      { rank: 2, samples: 5 },
      { rank: 3, samples: 2 },
      { rank: 4, samples: 1 },
      { rank: 5, samples: 1 },
    ]);
    expect(tail.bySamples).toEqual([
      { samples: 1, skills: 2 },
      { samples: 2, skills: 1 },
      { samples: 5, skills: 1 },
      { samples: 9, skills: 1 },
    ]);
    expect(tail.singletons).toBe(2);
  });

  it('thins the ranks to a few points per decade, keeping the last', () => {
    const counts = Int32Array.from({ length: 100_000 }, (_, i) => Math.ceil(100_000 / (i + 1)));
    const tail = longTail(counts);
    expect(tail.byRank.length).toBeLessThan(250);
    expect(tail.byRank[0]).toEqual({ rank: 1, samples: 100_000 });
    expect(tail.byRank.at(-1)).toEqual({ rank: 100_000, samples: 1 });
    const total = tail.bySamples.reduce((sum, point) => sum + point.skills, 0);
    expect(total).toBe(100_000);
  });
});

describe('neighbourhood', () => {
  it('lists neighbours by weight with the samples each pair shares, counted in the corpus', () => {
    const index = indexSamples(graph.names, samples);
    const weighted = new SkillGraphBuilder();
    for (const skills of samples) weighted.add(skills);
    const reference = weighted.build({ weighting: 'reference' });
    const around = neighbourhood(reference, index, id('a'), 2);
    // (co + 2) / ((n_a + 1)(n_x + 1)) with n_a = 5: d (1 sample) 3 / 12, b (4 samples) 5 / 30.
    expect(around.map((n) => [reference.names[n.skill], n.cooccurrence])).toEqual([
      ['d', 1],
      ['b', 3],
    ]);
    expect(around[0].weight).toBeCloseTo(3 / 12);
    expect(around[1].weight).toBeCloseTo(5 / 30);
    expect(neighbourhood(reference, index, id('e'), 5)).toEqual([]);
  });
});
