import { describe, expect, it } from 'vitest';
import {
  SkillGraphBuilder,
  type SkillGraphOptions,
} from '../../../../src/core/graph/buildSkillGraph';
import { graphToFile } from '../../../../src/core/graph/graphFile';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import { mulberry32 } from '../../../../src/core/random/mulberry32';

/**
 * Hand-computed corpus. Sample counts: a 4, b 4, c 2, d 1 (a repeated tag counts once), so ids
 * are a 0, b 1, c 2, d 3. Co-occurrences: a–b 3, a–c 2, b–c 1. N = 6 samples carry a skill.
 */
const corpus = [
  { skills: ['a', 'b'] },
  { skills: ['a', 'b', 'c'] },
  { skills: ['c', 'a'] },
  { skills: ['b'] },
  { skills: ['a', 'a', 'b'] },
  { skills: [] },
  { skills: ['d'] },
];

/** The graph of a list of samples, built as the app streams them in. */
function buildSkillGraph(
  samples: { skills: readonly string[] }[],
  options: SkillGraphOptions = {},
): SkillGraph {
  const builder = new SkillGraphBuilder();
  for (const sample of samples) builder.add(sample.skills);
  return builder.build(options);
}

/** Edges as [u, v, w] (u < v), by u then v. */
function edgesOf(graph: SkillGraph): [number, number, number][] {
  return graphToFile(graph).edges;
}

describe('buildSkillGraph', () => {
  it('numbers skills by descending count, then name, and counts samples per skill', () => {
    const graph = buildSkillGraph(corpus);
    expect(graph.names).toEqual(['a', 'b', 'c', 'd']);
    expect(Array.from(graph.counts)).toEqual([4, 4, 2, 1]);
  });

  it('weights edges as the paper: (co + 2) / ((n_i + 1)(n_j + 1))', () => {
    const edges = edgesOf(buildSkillGraph(corpus));
    expect(edges.map(([u, v]) => [u, v])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(edges[0][2]).toBeCloseTo(5 / 25, 15);
    expect(edges[1][2]).toBeCloseTo(4 / 15, 15);
    expect(edges[2][2]).toBeCloseTo(3 / 15, 15);
  });

  it('weights edges by the co-occurrence count', () => {
    expect(edgesOf(buildSkillGraph(corpus, { weighting: 'count' }))).toEqual([
      [0, 1, 3],
      [0, 2, 2],
      [1, 2, 1],
    ]);
  });

  it('weights by PMI and NPMI, dropping pairs that co-occur no more than chance', () => {
    // b–c: ln(1·6 / (4·2)) < 0, so no edge.
    const pmi = edgesOf(buildSkillGraph(corpus, { weighting: 'pmi' }));
    expect(pmi.map(([u, v]) => [u, v])).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(pmi[0][2]).toBeCloseTo(Math.log((3 * 6) / 16), 15);
    expect(pmi[1][2]).toBeCloseTo(Math.log((2 * 6) / 8), 15);

    const npmi = edgesOf(buildSkillGraph(corpus, { weighting: 'npmi' }));
    expect(npmi.map(([u, v]) => [u, v])).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(npmi[0][2]).toBeCloseTo(Math.log(18 / 16) / -Math.log(3 / 6), 15);
    expect(npmi[1][2]).toBeCloseTo(Math.log(12 / 8) / -Math.log(2 / 6), 15);
  });

  it('gives NPMI 1 to skills found in every sample, where PMI is 0 and drops the edge', () => {
    const always = [{ skills: ['x', 'y'] }, { skills: ['y', 'x'] }];
    expect(edgesOf(buildSkillGraph(always, { weighting: 'npmi' }))).toEqual([[0, 1, 1]]);
    expect(edgesOf(buildSkillGraph(always, { weighting: 'pmi' }))).toEqual([]);
  });

  it('drops skills below the minimum count before building edges (and from N)', () => {
    const graph = buildSkillGraph(corpus, { minCount: 2, weighting: 'pmi' });
    expect(graph.names).toEqual(['a', 'b', 'c']);
    // Without d's sample N = 5: a–b is ln(3·5/16) < 0 now, a–c ln(2·5/8).
    const edges = edgesOf(graph);
    expect(edges.map(([u, v]) => [u, v])).toEqual([[0, 2]]);
    expect(edges[0][2]).toBeCloseTo(Math.log(10 / 8), 15);

    expect(buildSkillGraph(corpus, { minCount: 3 }).names).toEqual(['a', 'b']);
    expect(() => buildSkillGraph(corpus, { minCount: 0 })).toThrow(
      'minCount must be a positive integer',
    );
  });

  it('gives the same graph whatever the order of samples and of tags', () => {
    const random = mulberry32(5);
    const names = Array.from({ length: 40 }, (_, i) => `skill ${i}`);
    const samples = Array.from({ length: 300 }, () => ({
      skills: names.filter(() => random() < 0.08),
    }));
    const shuffled = samples
      .map((sample) => ({ skills: [...sample.skills].reverse(), order: random() }))
      .sort((a, b) => a.order - b.order);
    expect(graphToFile(buildSkillGraph(shuffled))).toEqual(graphToFile(buildSkillGraph(samples)));
  });

  it('stores each edge both ways in sorted CSR rows, also when fed sample by sample', () => {
    const builder = new SkillGraphBuilder();
    for (const sample of corpus) builder.add(sample.skills);
    const graph = builder.build();
    expect(Array.from(graph.offsets)).toEqual([0, 2, 4, 6, 6]);
    expect(Array.from(graph.targets)).toEqual([1, 2, 0, 2, 0, 1]);
    expect(graph.weights[0]).toBe(graph.weights[2]);
  });

  it('builds an empty graph from an untagged corpus', () => {
    const graph = buildSkillGraph([{ skills: [] }]);
    expect(graph.names).toEqual([]);
    expect(Array.from(graph.offsets)).toEqual([0]);
  });
});
