import { describe, expect, it } from 'vitest';
import {
  CENTRAL_PER_NODE,
  skillPath,
  taxonomyOutline,
} from '../../../../src/core/explore/taxonomyOutline';
import { topLevelChange } from '../../../../src/core/explore/compareTaxonomies';
import { levelSweep } from '../../../../src/core/explore/levelSweep';
import { treeMeasures } from '../../../../src/core/taxonomy/entropy';
import type { EncodingTree } from '../../../../src/core/taxonomy/encodingTree';
import { powerLawGraph } from '../../../../bench/powerLawGraph';
import { buildTaxonomy } from '../../../../src/core/steps';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import { graphOfEdges, randomLevels } from '../taxonomy/randomTrees';
import { encodingTreeFromLevels } from '../taxonomy/levelsToTree';

// Skills 0..5. Level 1: {0,1,2,3} and {4,5}. Level 2: {0,1}, {2,3}, {4,5}.
const tree: EncodingTree = {
  skillCount: 6,
  height: 2,
  communityOf: [Int32Array.from([0, 0, 0, 0, 1, 1]), Int32Array.from([1, 1, 0, 0, 2, 2])],
  communityParent: [Int32Array.from([0, 0]), Int32Array.from([0, 0, 1])],
  communityCount: [2, 3],
};
// 0-1 3, 0-2 1, 1-3 1, 2-3 1, 4-5 1, 3-4 0.5
const graph = graphOfEdges(6, [
  [0, 1, 3],
  [0, 2, 1],
  [1, 3, 1],
  [2, 3, 1],
  [4, 5, 1],
  [3, 4, 0.5],
]);

describe('taxonomy outline', () => {
  const outline = taxonomyOutline(graph, tree, 'standard');

  it('numbers nodes by level and gives sizes, children largest first', () => {
    expect([...outline.levelStart]).toEqual([0, 1, 3, 6]);
    expect([...outline.size]).toEqual([6, 4, 2, 2, 2, 2]);
    expect([...outline.parent]).toEqual([-1, 0, 0, 1, 1, 2]);
    const childrenOf = (v: number) => [
      ...outline.children.subarray(outline.childStart[v], outline.childStart[v + 1]),
    ];
    expect(childrenOf(0)).toEqual([1, 2]);
    expect(childrenOf(1)).toEqual([3, 4]);
    expect(childrenOf(5)).toEqual([]);
  });

  it('gives every node its members as one run, most central first in a leaf', () => {
    const membersOf = (v: number) => [
      ...outline.members.subarray(outline.memberStart[v], outline.memberStart[v] + outline.size[v]),
    ];
    expect(membersOf(0).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(membersOf(1).sort()).toEqual([0, 1, 2, 3]);
    // Level-2 community 0 is {2, 3}: 3 weighs 1 inside it, so does 2; 2 has the lower id.
    expect(membersOf(3)).toEqual([2, 3]);
    expect(membersOf(4)).toEqual([0, 1]);
    expect(membersOf(5)).toEqual([4, 5]);
  });

  it('keeps the terms whose sum is H^T, and the central skills of each node', () => {
    let sum = 0;
    for (const t of outline.term) sum += t;
    // Standard mode also has one leaf term per skill, which the outline leaves out.
    const measures = treeMeasures(graph, tree, 'standard');
    expect(sum).toBeLessThan(measures.structuralEntropy);
    expect(outline.volume[0]).toBeCloseTo(2 * 7.5);
    expect(outline.cut[2]).toBeCloseTo(0.5);
    const centralOf = (v: number) => [
      ...outline.central.subarray(outline.centralStart[v], outline.centralStart[v + 1]),
    ];
    expect(centralOf(1).slice(0, 2)).toEqual([0, 1]);
    // Node 1 is {0, 1, 2, 3}: 0 and 1 weigh 4 inside it, 2 and 3 weigh 2; it keeps all four.
    expect(centralOf(1)).toEqual([0, 1, 2, 3]);
    expect(centralOf(0)).toEqual([]);
    expect(centralOf(5)).toEqual([4, 5]);
  });

  it("keeps each node's own most central skills, as if its members were ranked alone", () => {
    // The definition, node by node: weighted degree among the members, then samples, then id.
    const centralOf = (g: SkillGraph, members: number[]) => {
      const inside = new Set(members);
      const strength = new Map<number, number>();
      for (const u of members) {
        let sum = 0;
        for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
          if (inside.has(g.targets[e])) sum += g.weights[e];
        }
        strength.set(u, sum);
      }
      return [...members]
        .sort((a, b) => strength.get(b)! - strength.get(a)! || g.counts[b] - g.counts[a] || a - b)
        .slice(0, CENTRAL_PER_NODE);
    };
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = mulberry32(seed);
      const n = 60;
      const edges: [number, number, number][] = [];
      for (let u = 0; u < n; u++) {
        for (let v = u + 1; v < n; v++) {
          // Small integer weights and counts, so that ties are decided by samples and by id.
          if (random() < 0.1) edges.push([u, v, 1 + Math.floor(random() * 3)]);
        }
      }
      const g = {
        ...graphOfEdges(n, edges),
        counts: Int32Array.from({ length: n }, () => Math.floor(random() * 3)),
      };
      const levels = randomLevels(random, n, 3, 4);
      const built = encodingTreeFromLevels(levels, n);
      const shown = taxonomyOutline(g, built, 'standard');
      for (let level = 1; level <= built.height; level++) {
        levels[level].forEach((members, community) => {
          const v = shown.levelStart[level] + community;
          const kept = [
            ...shown.central.subarray(shown.centralStart[v], shown.centralStart[v + 1]),
          ];
          expect(kept).toEqual(centralOf(g, members));
        });
      }
    }
  });

  it("finds each skill's community at every level from the outline alone", () => {
    expect(skillPath(outline, 0)).toEqual([0, 1, 4]);
    expect(skillPath(outline, 3)).toEqual([0, 1, 3]);
    expect(skillPath(outline, 5)).toEqual([0, 2, 5]);
  });

  it('stays linear on a 20,000-skill tree', () => {
    const big = powerLawGraph({ skills: 20_000, samples: 40_000, seed: 3 });
    const { tree: built } = buildTaxonomy(big, {
      levels: 3,
      builder: 'top-down',
      entropyMode: 'standard',
    });
    const started = performance.now();
    const large = taxonomyOutline(big, built, 'standard');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(new Set(large.members).size).toBe(20_000);
    for (let v = 1; v < large.size.length; v++) {
      const p = large.parent[v];
      expect(large.memberStart[v]).toBeGreaterThanOrEqual(large.memberStart[p]);
      expect(large.memberStart[v] + large.size[v]).toBeLessThanOrEqual(
        large.memberStart[p] + large.size[p],
      );
    }
    for (const skill of [0, 1234, 19_999]) {
      expect(skillPath(large, skill)).toEqual([
        0,
        ...built.communityOf.map((of, l) => large.levelStart[l + 1] + of[skill]),
      ]);
    }
  });
});

describe('top-level change between two taxonomies', () => {
  it('matches communities by overlap and lists the skills that moved', () => {
    const other = {
      skillCount: 6,
      // Renumbered, and skill 3 moved to the community of 4 and 5.
      communityOf: [Int32Array.from([1, 1, 1, 0, 0, 0])],
      communityCount: [2],
    };
    const change = topLevelChange(tree, other);
    expect([...change.matchOf]).toEqual([1, 0]);
    expect([...change.moved]).toEqual([3]);
    expect([...topLevelChange(tree, tree).moved]).toEqual([]);
  });

  it('refuses trees of different graphs', () => {
    expect(() => topLevelChange(tree, { ...tree, skillCount: 5 })).toThrow(/one graph/);
  });
});

describe('level sweep', () => {
  it('builds a tree per level count and reports each', () => {
    const small = powerLawGraph({ skills: 200, seed: 5 });
    const seen: number[] = [];
    const points = levelSweep(small, { builder: 'optimised', entropyMode: 'standard' }, 3, (p) =>
      seen.push(p.levels),
    );
    expect(seen).toEqual([1, 2, 3]);
    expect(points[0].height).toBe(1);
    const direct = buildTaxonomy(small, {
      levels: 2,
      builder: 'optimised',
      entropyMode: 'standard',
    });
    expect(points[1].measures).toEqual(direct.measures);
    expect(points[1].communityCount).toEqual(direct.tree.communityCount);
  });
});
