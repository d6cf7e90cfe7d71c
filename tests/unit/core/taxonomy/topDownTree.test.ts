import { describe, expect, it } from 'vitest';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import { buildTopDownTree } from '../../../../src/core/taxonomy/topDownTree';
import { treeLevels } from '../../../../src/core/taxonomy/treeLevels';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { plainTopDown } from '../../../../src/core/taxonomy/spec/plainTopDown';
import { loadReferenceCase, referenceGraphNames } from './referenceFixtures';
import { graphOfEdges } from './randomTrees';

function bySmallestMember(levels: number[][][]): number[][][] {
  return levels.map((level) => [...level].sort((a, b) => a[0] - b[0]));
}

function randomGraph(
  random: () => number,
  n: number,
  density: number,
  weight: () => number,
): SkillGraph {
  const edges: [number, number, number][] = [];
  // A few planted groups make multi-level structure; the rest is noise; some nodes stay isolated.
  const groupOf = Array.from({ length: n }, () => Math.floor(random() * 4));
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const p = groupOf[u] === groupOf[v] ? density : density / 6;
      if (random() < p) edges.push([u, v, weight()]);
    }
  }
  return graphOfEdges(n, edges);
}

describe('buildTopDownTree against the paper code (float64 results)', () => {
  for (const name of referenceGraphNames) {
    it(`reproduces the reference trees of ${name}`, () => {
      const { graph, runs } = loadReferenceCase(name);
      for (const run of runs) {
        // The reference returns the bare root for k_dim ≤ 1 and k_dim partitions otherwise.
        const levels = run.kDim <= 1 ? 0 : run.kDim;
        const ours = treeLevels(buildTopDownTree(graph, levels));
        expect(ours, `k_dim ${run.kDim}`).toEqual(bySmallestMember(run.tree.levels));
      }
    });
  }

  it('numbers communities by their smallest member and nests them', () => {
    const { graph } = loadReferenceCase('cooc_T100');
    const tree = buildTopDownTree(graph, 4);
    for (let level = 1; level <= tree.height; level++) {
      const communityOf = tree.communityOf[level - 1];
      let nextNew = 0;
      for (let skill = 0; skill < tree.skillCount; skill++) {
        const community = communityOf[skill];
        expect(community).toBeLessThanOrEqual(nextNew);
        if (community === nextNew) nextNew++;
        const parent = level === 1 ? 0 : tree.communityOf[level - 2][skill];
        expect(tree.communityParent[level - 1][community]).toBe(parent);
      }
      expect(tree.communityCount[level - 1]).toBe(nextNew);
    }
  });

  it('keeps isolated nodes alone and never joins components', () => {
    const { graph } = loadReferenceCase('disconnected');
    const component = new Int32Array(graph.offsets.length - 1).fill(-1);
    for (let start = 0; start < component.length; start++) {
      if (component[start] >= 0) continue;
      const stack = [start];
      component[start] = start;
      while (stack.length > 0) {
        const u = stack.pop()!;
        for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
          const v = graph.targets[k];
          if (component[v] < 0) {
            component[v] = start;
            stack.push(v);
          }
        }
      }
    }
    const levels = treeLevels(buildTopDownTree(graph, 3));
    expect(levels[1]).toContainEqual([32]);
    for (const community of levels[1]) {
      expect(new Set(community.map((u) => component[u])).size).toBe(1);
    }
  });
});

describe('buildTopDownTree against the plainly written method', () => {
  it('agrees on random graphs with many exact ties (small integer weights)', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 8 + Math.floor(random() * 50);
      const graph = randomGraph(
        random,
        n,
        0.1 + random() * 0.5,
        () => 1 + Math.floor(random() * 3),
      );
      const plain = plainTopDown(graph, 3);
      for (const candidateCacheSize of [1, 2, 8]) {
        const tree = buildTopDownTree(graph, 3, { candidateCacheSize });
        expect(treeLevels(tree), `trial ${trial}, cache ${candidateCacheSize}`).toEqual(plain);
      }
    }
  });

  it('agrees on random graphs with real weights', () => {
    const random = mulberry32(12);
    for (let trial = 0; trial < 40; trial++) {
      const n = 8 + Math.floor(random() * 60);
      const graph = randomGraph(random, n, 0.05 + random() * 0.4, () => 0.01 + random());
      const plain = plainTopDown(graph, 3);
      for (const candidateCacheSize of [1, 2, 8]) {
        const tree = buildTopDownTree(graph, 3, { candidateCacheSize });
        expect(treeLevels(tree), `trial ${trial}, cache ${candidateCacheSize}`).toEqual(plain);
      }
    }
  });

  it('agrees on dense random graphs (neighbour lists far longer than a cache)', () => {
    const random = mulberry32(14);
    for (let trial = 0; trial < 8; trial++) {
      const n = 60 + Math.floor(random() * 60);
      const integer = trial % 2 === 0;
      const graph = randomGraph(random, n, 0.3 + random() * 0.5, () =>
        integer ? 1 + Math.floor(random() * 2) : 0.01 + random(),
      );
      const plain = plainTopDown(graph, 3);
      for (const candidateCacheSize of [1, 2, 8]) {
        const tree = buildTopDownTree(graph, 3, { candidateCacheSize });
        expect(treeLevels(tree), `trial ${trial}, cache ${candidateCacheSize}`).toEqual(plain);
      }
    }
  });

  it('agrees on a dense graph where one community absorbs most nodes', () => {
    const random = mulberry32(13);
    const edges: [number, number, number][] = [];
    for (let u = 1; u < 150; u++) {
      edges.push([0, u, 1 + random()]);
      for (let v = u + 1; v < 150; v++) if (random() < 0.05) edges.push([u, v, random()]);
    }
    const graph = graphOfEdges(150, edges);
    expect(treeLevels(buildTopDownTree(graph, 2))).toEqual(plainTopDown(graph, 2));
  });
});

describe('buildTopDownTree edge cases', () => {
  it('gives the bare root for 0 levels, and handles graphs without nodes or edges', () => {
    const { graph } = loadReferenceCase('ex10');
    expect(buildTopDownTree(graph, 0)).toMatchObject({ height: 0, communityOf: [] });
    expect(treeLevels(buildTopDownTree(graphOfEdges(0, []), 2))).toEqual([[[]], [], []]);
    expect(treeLevels(buildTopDownTree(graphOfEdges(3, []), 1))).toEqual([
      [[0, 1, 2]],
      [[0], [1], [2]],
    ]);
  });

  it('rejects a level count that is not a non-negative integer', () => {
    const { graph } = loadReferenceCase('ex10');
    expect(() => buildTopDownTree(graph, -1)).toThrow('levels must be a non-negative integer');
    expect(() => buildTopDownTree(graph, 1.5)).toThrow('levels must be a non-negative integer');
    expect(() => buildTopDownTree(graph, 2, { candidateCacheSize: 0 })).toThrow(
      'candidateCacheSize must be a positive integer',
    );
  });
});
