import { describe, expect, it } from 'vitest';
import { coocGraph } from '../../../../bench/coocGraph';
import { graphToFile } from '../../../../src/core/graph/graphFile';

describe('coocGraph (the benchmark graphs the paper code is timed on)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = JSON.stringify(graphToFile(coocGraph(60, 1)));
    expect(JSON.stringify(graphToFile(coocGraph(60, 1)))).toBe(a);
    expect(JSON.stringify(graphToFile(coocGraph(60, 2)))).not.toBe(a);
  });

  it('has its tags as nodes, 20 samples per tag counted, and the reference weight', () => {
    const graph = coocGraph(200, 200);
    expect(graph.names).toHaveLength(200);
    const samples = graph.counts.reduce((sum, count) => sum + count, 0);
    // 1–5 tags per sample, 3 on average: about 20 · 200 · 3 tag occurrences.
    expect(samples).toBeGreaterThan(20 * 200 * 2.8);
    expect(samples).toBeLessThan(20 * 200 * 3.2);
    const edges = graph.targets.length / 2;
    // The reference's cooc_T200 (another seed, the same recipe) has 4213 edges.
    expect(edges).toBeGreaterThan(3000);
    expect(edges).toBeLessThan(6000);
    // Every weight is (co + 2) / ((n_i + 1)(n_j + 1)) with a whole co ≥ 1.
    const coCounts: number[] = [];
    for (let u = 0; u < 200; u++) {
      for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
        const v = graph.targets[k];
        coCounts.push(graph.weights[k] * (graph.counts[u] + 1) * (graph.counts[v] + 1) - 2);
      }
    }
    expect(coCounts.filter((co) => !(co > 0.999 && Math.abs(co - Math.round(co)) < 1e-6))).toEqual(
      [],
    );
  });
});
