import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { buildTree } from '../../../../src/core/steps';
import {
  conditionalEntropyOfTerms,
  treeMeasures,
  treeTerms,
} from '../../../../src/core/taxonomy/entropy';
import {
  repeatedLevelsNote,
  withoutRepeatedLevels,
} from '../../../../src/core/taxonomy/repeatedLevels';
import { buildTopDownTree } from '../../../../src/core/taxonomy/topDownTree';
import { treeLevels } from '../../../../src/core/taxonomy/treeLevels';
import { encodingTreeFromLevels } from './levelsToTree';
import { randomGraph, randomLevels, randomSubset } from './randomTrees';
import { loadReferenceCase } from './referenceFixtures';

const sorted = (levels: number[][][]) =>
  levels.map((level) => level.map((c) => [...c].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]));

describe('levels that only repeat the level above', () => {
  it('are left out, and nothing the tree measures changes', () => {
    const random = mulberry32(4242);
    for (let round = 0; round < 40; round++) {
      const n = 3 + Math.floor(random() * 20);
      const graph = randomGraph(random, n, 0.15 + random() * 0.4);
      const distinct = randomLevels(random, n, 1 + Math.floor(random() * 3), 3).filter(
        (level, l, all) => l === 0 || level.length !== all[l - 1].length,
      );
      // Repeat some levels (the root too) in place.
      const levels = distinct.flatMap((level) => (random() < 0.4 ? [level, level] : [level]));
      const tree = encodingTreeFromLevels(levels, n);
      const { tree: trimmed, repeated } = withoutRepeatedLevels(tree);
      expect(repeated.length).toBe(levels.length - distinct.length);
      expect(sorted(treeLevels(trimmed))).toEqual(sorted(distinct));
      // Reference mode leaves level-1 terms out (defect 1), so a level 1 that repeats the root
      // does count there: leaving it out moves the next level up into the uncounted place.
      const modes =
        levels[1]?.length === 1 ? (['standard'] as const) : (['standard', 'reference'] as const);
      for (const mode of modes) {
        const before = treeMeasures(graph, tree, mode);
        const after = treeMeasures(graph, trimmed, mode);
        expect(after.structuralEntropy).toBeCloseTo(before.structuralEntropy, 12);
        expect(after.firstOrderEntropy).toBeCloseTo(before.firstOrderEntropy, 12);
        const given = randomSubset(random, n, 1);
        const target = randomSubset(random, n, Math.min(n, 3));
        expect(
          conditionalEntropyOfTerms(treeTerms(graph, trimmed, mode), given, target),
        ).toBeCloseTo(conditionalEntropyOfTerms(treeTerms(graph, tree, mode), given, target), 12);
      }
    }
  });

  it('leave the tree as it is when there are none', () => {
    const tree = encodingTreeFromLevels([[[0, 1, 2]], [[0, 1], [2]], [[0], [1], [2]]], 3);
    expect(withoutRepeatedLevels(tree)).toEqual({ tree, repeated: [] });
    expect(repeatedLevelsNote(2, [])).toBeUndefined();
  });

  it('are never returned by either builder, and the tree says so', () => {
    // The top-down tree of the reference's demo graph splits no further than level 3 (ten
    // singletons); the optimised builder, asked for 5 levels, keeps the whole graph at level 1.
    const { graph } = loadReferenceCase('ex10');
    expect(buildTopDownTree(graph, 5).communityCount).toEqual([3, 6, 10, 10, 10]);
    const expected = {
      'top-down': repeatedLevelsNote(5, [4, 5]),
      optimised: repeatedLevelsNote(5, [1]),
    };
    for (const builder of ['top-down', 'optimised'] as const) {
      const built = buildTree(graph, { levels: 5, builder });
      const counts = treeLevels(built.tree).map((level) => level.length);
      for (let l = 1; l < counts.length; l++) expect(counts[l]).toBeGreaterThan(counts[l - 1]);
      expect(built.note, builder).toBe(expected[builder]);
    }
    expect(buildTree(graph, { levels: 3, builder: 'top-down' }).note).toBeUndefined();
  });

  it('are named in the note', () => {
    expect(repeatedLevelsNote(5, [4, 5])).toBe(
      '5 levels were asked for, but levels 4 and 5 only repeated the level above them, so the tree has 3 levels: the graph splits no further.',
    );
    expect(repeatedLevelsNote(2, [2])).toBe(
      '2 levels were asked for, but level 2 only repeated the level above it, so the tree has 1 level: the graph splits no further.',
    );
  });
});
