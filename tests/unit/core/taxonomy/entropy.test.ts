import { describe, expect, it } from 'vitest';
import { nodeCount, type SkillGraph } from '../../../../src/core/graph/skillGraph';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { conditionalEntropy } from '../../../../src/core/steps';
import {
  conditionalEntropyOfTerms,
  measuresOfTerms,
  treeMeasures,
  treeTerms,
} from '../../../../src/core/taxonomy/entropy';
import { chainRuleEntropy } from './chainRule';
import { encodingTreeFromLevels } from './levelsToTree';
import { randomGraph, randomLevels, randomSubset } from './randomTrees';
import {
  closeTo,
  loadReferenceCase,
  referenceGraphNames,
  referenceTree,
} from './referenceFixtures';

function expectClose(actual: number, expected: number, what: string): void {
  if (!closeTo(actual, expected)) {
    expect.fail(`${what}: got ${actual}, reference ${expected}`);
  }
}

describe('entropy against the reference results (float64)', () => {
  for (const name of referenceGraphNames) {
    describe(name, () => {
      const { graph, runs } = loadReferenceCase(name);
      const n = nodeCount(graph);
      for (const run of runs) {
        const tree = referenceTree(run, n);
        const where = `${name} k_dim=${run.kDim}`;

        it(`k_dim=${run.kDim}: volumes, cuts and terms per tree node`, () => {
          const terms = treeTerms(graph, tree, 'reference');
          expectClose(terms.graphVolume, run.graph_volume, `${where} V`);
          run.degrees.forEach((d, i) => expectClose(terms.degrees[i], d, `${where} degree ${i}`));
          for (let depth = 1; depth < run.tree.levels.length; depth++) {
            run.tree.levels[depth].forEach((_, c) => {
              const node = terms.depthStart[depth] + c;
              const at = `${where} levels[${depth}][${c}]`;
              expectClose(terms.volume[node], run.tree.volume[depth][c], `${at} volume`);
              expectClose(terms.cut[node], run.tree.cut[depth][c], `${at} cut`);
              expectClose(terms.term[node], run.tree.se_term[depth][c], `${at} term`);
            });
          }
          const visible = [...terms.visible.keys()].filter((i) => terms.visible[i] === 1);
          expect(visible).toEqual(run.leaf_map_nodes);
        });

        it(`k_dim=${run.kDim}: reference H^T, H^1, sweet spot, conditional and chain-rule SE`, () => {
          const terms = treeTerms(graph, tree, 'reference');
          const measures = measuresOfTerms(terms);
          expectClose(measures.structuralEntropy, run.se_from_tree, `${where} se_from_tree`);
          expectClose(measures.firstOrderEntropy, run.first_order_se, `${where} first_order_se`);
          expectClose(measures.sweetSpot, run.sweet_spot, `${where} sweet_spot`);
          for (const { src_ids, dst_ids, value } of run.conditional_se) {
            const actual = conditionalEntropy(graph, tree, src_ids, dst_ids, 'reference');
            expectClose(actual, value, `${where} H(${dst_ids}|${src_ids})`);
          }
          for (const { node_sequence, value } of run.chain_rule_se) {
            expectClose(
              chainRuleEntropy(terms, node_sequence),
              value,
              `${where} chain ${node_sequence}`,
            );
          }
        });

        it(`k_dim=${run.kDim}: standard H^T is the textbook SE of the same tree`, () => {
          const measures = treeMeasures(graph, tree, 'standard');
          // The driver's derived value for the bare root (k_dim = 1) is 0 because the reference
          // leaves the root's volume at 0; the textbook SE of a one-level tree is H^1.
          const expected =
            run.kDim === 1
              ? measures.firstOrderEntropy
              : run.derived_not_reference.se_standard_coding_tree;
          expectClose(measures.structuralEntropy, expected, `${where} se_standard_coding_tree`);
        });
      }
    });
  }
});

describe('entropy on small hand-checked trees', () => {
  // A triangle 0-1-2 (weights 1) and an edge 3-4 (weight 2): V = 10.
  const levels = [
    [[0, 1, 2, 3, 4]],
    [
      [0, 1, 2],
      [3, 4],
    ],
    [[0, 1], [2], [3, 4]],
  ];
  const graph = graphOf(5, [
    [0, 1, 1],
    [1, 2, 1],
    [0, 2, 1],
    [3, 4, 2],
  ]);
  const tree = encodingTreeFromLevels(levels, 5);

  it('standard mode counts level-1 terms and hangs every skill as a leaf', () => {
    const terms = treeTerms(graph, tree, 'standard');
    // Level-1 communities are components (cut 0); {0,1} has vol 4, cut 2 inside vol 6; {2} vol 2, cut 2.
    const expected =
      -(2 / 10) * Math.log2(4 / 6) -
      (2 / 10) * Math.log2(2 / 6) +
      // skills 0 and 1 below {0,1}, 3 and 4 below {3,4}; skill 2 below {2} has term 0.
      2 * (-(2 / 10) * Math.log2(2 / 4)) +
      2 * (-(2 / 10) * Math.log2(2 / 4));
    expect(measuresOfTerms(terms).structuralEntropy).toBeCloseTo(expected, 14);
    expect(conditionalEntropyOfTerms(terms, [], [0])).toBeCloseTo(
      -(2 / 10) * Math.log2(4 / 6) - (2 / 10) * Math.log2(2 / 4),
      14,
    );
    // Skill 1 given skill 0 adds only its own leaf term; given nothing, the whole path.
    expect(conditionalEntropyOfTerms(terms, [0], [1])).toBeCloseTo(
      -(2 / 10) * Math.log2(2 / 4),
      14,
    );
  });

  it('reference mode drops level-1 terms and sees only skills alone in their leaf', () => {
    const terms = treeTerms(graph, tree, 'reference');
    expect([...terms.visible]).toEqual([0, 0, 1, 0, 0]);
    expect(conditionalEntropyOfTerms(terms, [], [0, 1, 3])).toBe(0);
    expect(conditionalEntropyOfTerms(terms, [0], [2])).toBeCloseTo(
      -(2 / 10) * Math.log2(2 / 6),
      14,
    );
  });

  it('rejects skill ids outside the graph, naming the argument', () => {
    const terms = treeTerms(graph, tree, 'standard');
    expect(() => conditionalEntropyOfTerms(terms, [0], [5])).toThrow(
      'target[0]: 5 is not a skill id',
    );
    expect(() => chainRuleEntropy(terms, [1, -1])).toThrow('sequence[1]');
  });
});

describe('entropy properties on random graphs and trees (standard mode)', () => {
  const random = mulberry32(20260101);
  const cases = Array.from({ length: 40 }, () => {
    const n = 3 + Math.floor(random() * 28);
    const graph = randomGraph(random, n, 0.05 + random() * 0.4);
    const levels = randomLevels(random, n, 1 + Math.floor(random() * 3), 4);
    return {
      n,
      graph,
      levels,
      terms: treeTerms(graph, encodingTreeFromLevels(levels, n), 'standard'),
    };
  });
  const eps = 1e-12;

  it('0 ≤ H^T ≤ H^1, and every term is ≥ 0', () => {
    for (const { terms } of cases) {
      const { structuralEntropy, firstOrderEntropy } = measuresOfTerms(terms);
      expect(structuralEntropy).toBeGreaterThanOrEqual(0);
      expect(structuralEntropy).toBeLessThanOrEqual(firstOrderEntropy + eps);
      for (const term of terms.term) expect(term).toBeGreaterThanOrEqual(0);
    }
  });

  it('cuts are vol − 2·(weight inside), recomputed edge by edge', () => {
    for (const { n, graph, levels, terms } of cases) {
      for (let depth = 1; depth < levels.length; depth++) {
        levels[depth].forEach((members, c) => {
          const inside = new Set(members);
          let volume = 0;
          let innerTwice = 0;
          for (const u of members) {
            for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
              volume += graph.weights[k];
              if (inside.has(graph.targets[k])) innerTwice += graph.weights[k];
            }
          }
          const node = terms.depthStart[depth] + c;
          expectClose(terms.volume[node], volume, `volume of levels[${depth}][${c}]`);
          expectClose(terms.cut[node], volume - innerTwice, `cut of levels[${depth}][${c}]`);
        });
      }
      expect(terms.paths.length).toBe(n * terms.pathLength);
    }
  });

  it('chain rule: H(Y|X) + H(X) = H(X ∪ Y), and the sequence order does not matter', () => {
    for (const { n, terms } of cases) {
      const x = randomSubset(random, n, Math.floor(random() * n));
      const y = randomSubset(random, n, Math.floor(random() * n));
      const union = [...new Set([...x, ...y])];
      const joint = conditionalEntropyOfTerms(terms, [], union);
      expect(
        conditionalEntropyOfTerms(terms, x, y) + conditionalEntropyOfTerms(terms, [], x),
      ).toBeCloseTo(joint, 12);
      expect(chainRuleEntropy(terms, [...union].reverse())).toBeCloseTo(joint, 12);
    }
  });

  it('H(Y|X) is monotone and submodular in Y', () => {
    for (const { n, terms } of cases) {
      if (n < 4) continue;
      const [a, b, ...rest] = randomSubset(random, n, n);
      const x = rest.slice(0, Math.floor(random() * rest.length));
      const y = rest.slice(
        x.length,
        x.length + Math.floor(random() * (rest.length - x.length + 1)),
      );
      const h = (set: number[]) => conditionalEntropyOfTerms(terms, x, set);
      expect(h([...y, a])).toBeGreaterThanOrEqual(h(y) - eps);
      const gainAlone = h([...y, a]) - h(y);
      const gainWithB = h([...y, b, a]) - h([...y, b]);
      expect(gainAlone).toBeGreaterThanOrEqual(gainWithB - eps);
    }
  });

  it('merging two sibling communities without an edge between them never lowers H^T', () => {
    let merges = 0;
    for (const { n, graph, levels, terms } of cases) {
      const before = measuresOfTerms(terms).structuralEntropy;
      for (let depth = 1; depth < levels.length; depth++) {
        const pair = nonAdjacentSiblings(graph, levels, depth);
        if (!pair) continue;
        const [a, b] = pair;
        const merged = levels.map((level) => level.map((members) => [...members]));
        merged[depth][a] = [...merged[depth][a], ...merged[depth][b]].sort((p, q) => p - q);
        merged[depth].splice(b, 1);
        const after = treeMeasures(graph, encodingTreeFromLevels(merged, n), 'standard');
        expect(after.structuralEntropy).toBeGreaterThanOrEqual(before - eps);
        merges++;
      }
    }
    expect(merges).toBeGreaterThan(10);
  });
});

function graphOf(n: number, edges: [number, number, number][]): SkillGraph {
  const adjacency: [number, number][][] = Array.from({ length: n }, () => []);
  for (const [u, v, w] of edges) {
    adjacency[u].push([v, w]);
    adjacency[v].push([u, w]);
  }
  const offsets = new Int32Array(n + 1);
  adjacency.forEach((row, u) => (offsets[u + 1] = offsets[u] + row.length));
  const flat = adjacency.flat();
  return {
    names: Array.from({ length: n }, (_, id) => String(id)),
    counts: new Int32Array(n),
    offsets,
    targets: Int32Array.from(flat, ([v]) => v),
    weights: Float64Array.from(flat, ([, w]) => w),
  };
}

/** Two communities of `depth` with the same parent and no edge between them, if any. */
function nonAdjacentSiblings(
  graph: SkillGraph,
  levels: number[][][],
  depth: number,
): [number, number] | undefined {
  const parentOf = new Map<number, number>();
  levels[depth - 1].forEach((members, p) => members.forEach((skill) => parentOf.set(skill, p)));
  const communities = levels[depth];
  for (let a = 0; a < communities.length; a++) {
    const inA = new Set(communities[a]);
    for (let b = a + 1; b < communities.length; b++) {
      if (parentOf.get(communities[a][0]) !== parentOf.get(communities[b][0])) continue;
      const adjacent = communities[b].some((u) => {
        for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
          if (inA.has(graph.targets[k])) return true;
        }
        return false;
      });
      if (!adjacent) return [a, b];
    }
  }
  return undefined;
}
