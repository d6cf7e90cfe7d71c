import { describe, expect, it } from 'vitest';
import { powerLawGraph } from '../../../../bench/powerLawGraph';
import { nodeCount, type SkillGraph } from '../../../../src/core/graph/skillGraph';

const edgeCount = (graph: SkillGraph) => graph.targets.length / 2;

function sameArrays(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameGraphs(a: SkillGraph, b: SkillGraph): boolean {
  return (
    a.names.join('\n') === b.names.join('\n') &&
    sameArrays(a.counts, b.counts) &&
    sameArrays(a.offsets, b.offsets) &&
    sameArrays(a.targets, b.targets) &&
    sameArrays(a.weights, b.weights)
  );
}

describe('powerLawGraph', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = powerLawGraph({ skills: 500, seed: 11 });
    const b = powerLawGraph({ skills: 500, seed: 11 });
    const c = powerLawGraph({ skills: 500, seed: 12 });
    expect(sameGraphs(a, b)).toBe(true);
    expect(sameGraphs(a, c)).toBe(false);
  });

  // The benchmark's sizes: 1,600 skills is the reference's cooc_T1600 shape (~40k edges).
  for (const [skills, low, high] of [
    [1000, 23_000, 27_000],
    [1600, 38_000, 44_000],
  ]) {
    it(`has ${skills} nodes and ${low}–${high} edges at ${skills} skills`, () => {
      const graph = powerLawGraph({ skills, seed: 1 });
      expect(nodeCount(graph)).toBe(skills);
      expect(edgeCount(graph)).toBeGreaterThanOrEqual(low);
      expect(edgeCount(graph)).toBeLessThanOrEqual(high);
    });
  }

  it('is a valid CSR with the reference weight (co + 2) / ((n_i + 1)(n_j + 1))', () => {
    const graph = powerLawGraph({ skills: 400, seed: 3 });
    const n = nodeCount(graph);
    const weightOf = new Map<number, number>();
    const problems: string[] = [];
    for (let u = 0; u < n; u++) {
      for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
        const v = graph.targets[e];
        if (v === u) problems.push(`self-loop at ${u}`);
        if (e > graph.offsets[u] && v <= graph.targets[e - 1]) problems.push(`row ${u} unsorted`);
        weightOf.set(u * n + v, graph.weights[e]);
        // co = w (n_i + 1)(n_j + 1) − 2 is a whole number of samples in 1..min(n_i, n_j).
        const together = graph.weights[e] * (graph.counts[u] + 1) * (graph.counts[v] + 1) - 2;
        const co = Math.round(together);
        if (
          Math.abs(together - co) > 1e-9 ||
          co < 1 ||
          co > Math.min(graph.counts[u], graph.counts[v])
        ) {
          problems.push(`edge ${u}-${v}: weight ${graph.weights[e]} gives co = ${together}`);
        }
      }
    }
    for (const [key, weight] of weightOf) {
      const u = Math.floor(key / n);
      const v = key % n;
      if (weightOf.get(v * n + u) !== weight) problems.push(`edge ${u}-${v} is not symmetric`);
    }
    expect(problems).toEqual([]);
  });

  it('has Zipf-like sample counts and every skill in the graph', () => {
    const graph = powerLawGraph({ skills: 1000, seed: 5 });
    const counts = Array.from(graph.counts);
    // Ids follow descending count; the head dominates the tail.
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
    expect(counts[0]).toBeGreaterThan(50 * counts[500]);
    expect(counts[counts.length - 1]).toBeGreaterThanOrEqual(1);
    expect(new Set(graph.names).size).toBe(1000);
  });

  it('plants topics: edges within a topic carry far more weight than chance', () => {
    const skills = 900;
    const topics = 30; // round(√900): skill i belongs to topic i mod 30
    const graph = powerLawGraph({ skills, seed: 8 });
    const topicOf = graph.names.map((name) => Number(name.slice('skill-'.length)) % topics);
    let within = 0;
    let total = 0;
    for (let u = 0; u < skills; u++) {
      for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
        total += graph.weights[e];
        if (topicOf[u] === topicOf[graph.targets[e]]) within += graph.weights[e];
      }
    }
    expect(within / total).toBeGreaterThan(5 / topics);
  });

  it('honours samples, tags per sample and exponent', () => {
    const sparse = powerLawGraph({ skills: 300, samples: 300, meanTagsPerSample: 1, seed: 1 });
    expect(edgeCount(sparse)).toBe(0);
    const dense = powerLawGraph({ skills: 300, samples: 20_000, meanTagsPerSample: 4, seed: 1 });
    expect(edgeCount(dense)).toBeGreaterThan(edgeCount(powerLawGraph({ skills: 300, seed: 1 })));
    const flat = powerLawGraph({ skills: 300, exponent: 0.2, seed: 1 });
    const steep = powerLawGraph({ skills: 300, seed: 1 });
    expect(flat.counts[0] / flat.counts[299]).toBeLessThan(steep.counts[0] / steep.counts[299]);
  });

  it('rejects bad options with a message naming the field', () => {
    expect(() => powerLawGraph({ skills: 0, seed: 1 })).toThrow(
      /skills must be a positive integer/,
    );
    expect(() => powerLawGraph({ skills: 10, samples: -1, seed: 1 })).toThrow(/samples/);
    expect(() => powerLawGraph({ skills: 10, meanTagsPerSample: 5, seed: 1 })).toThrow(
      /meanTagsPerSample must lie in \[1, 4\], got 5/,
    );
    expect(() => powerLawGraph({ skills: 10, exponent: 0, seed: 1 })).toThrow(/exponent/);
  });
});
