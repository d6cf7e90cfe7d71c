// The search's exclusion (`CombinationSearchOptions.exclude`): the optimised search and the plain
// specification skip the same sets and report the same ones, in every mode; leaving out the sets a
// corpus carries often finds other sets in their places instead of only dropping them.
import { describe, expect, it } from 'vitest';
import { cooccurrence, frequentInCorpus } from '../../../../src/core/combinations/combinationFacts';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import {
  buildTree,
  findCombinations,
  indexSamples,
  SkillGraphBuilder,
} from '../../../../src/core/steps';
import {
  localSearchModes,
  searchCombinations,
  searchModes,
} from '../../../../src/core/taxonomy/combinationSearch';
import { treeTerms } from '../../../../src/core/taxonomy/entropy';
import { plainBeam, plainScope } from '../../../../src/core/taxonomy/spec/plainBeam';
import { readDemoCorpus } from '../../fixtures';
import { encodingTreeFromLevels } from './levelsToTree';
import { randomGraph, randomLevels } from './randomTrees';

const setKey = (skills: readonly number[]) => [...skills].sort((a, b) => a - b).join(',');

/** Excludes about one set in `every`, decided by the set alone (not the order of its skills). */
function excludeSome(every: number): (skills: readonly number[]) => boolean {
  return (skills) => {
    let hash = 7;
    for (const skill of [...skills].sort((a, b) => a - b)) hash = (hash * 31 + skill) % 1009;
    return hash % every === 0;
  };
}

describe('the exclusion in the combination search', () => {
  const random = mulberry32(4242);
  const cases = Array.from({ length: 30 }, (_, index) => {
    const n = 4 + Math.floor(random() * 20);
    const graph = randomGraph(random, n, 0.1 + random() * 0.5);
    const levels = randomLevels(random, n, 1 + Math.floor(random() * 3), 4);
    const tree = encodingTreeFromLevels(levels, n);
    const entropyMode = index % 3 === 0 ? 'reference' : 'standard';
    return { n, levels, tree, terms: treeTerms(graph, tree, entropyMode) };
  });

  it('equals the plain beam search with the same exclusion in every mode and scope', () => {
    let excludedSomewhere = 0;
    for (const { n, levels, tree, terms } of cases) {
      for (const mode of searchModes) {
        const size = 1 + Math.floor(random() * 5);
        const beamWidth = 1 + Math.floor(random() * 8);
        const perStart = 1 + Math.floor(random() * beamWidth);
        const starts = [0, Math.floor(random() * n), n - 1];
        const scope = localSearchModes.includes(mode) ? Math.floor(random() * levels.length) : 0;
        const exclude = excludeSome(2 + Math.floor(random() * 3));
        const found = searchCombinations(terms, tree, {
          size,
          beamWidth,
          starts,
          mode,
          scope,
          perStart,
          exclude,
        });
        const expected = starts.flatMap((start) =>
          plainBeam(terms, start, size, beamWidth, plainScope(mode, levels, start, scope), exclude)
            .slice(0, perStart)
            .map(({ score, y }) => ({ start, skills: [start, ...y], score })),
        );
        const where = `${mode} n=${n} size=${size} B=${beamWidth} perStart=${perStart} scope=${scope}`;
        expect(
          found.map(({ start, skills, score }) => ({ start, skills, score })),
          where,
        ).toEqual(expected);
        for (const { skills } of found) expect(exclude(skills), where).toBe(false);
        const plain = searchCombinations(terms, tree, { size, beamWidth, starts, mode, scope });
        if (plain.some(({ skills }) => exclude(skills))) excludedSomewhere++;
      }
    }
    // The cases exercise the exclusion: many searches would have reported an excluded set.
    expect(excludedSomewhere).toBeGreaterThan(50);
  });

  it('leaves out a one-skill set, and the shorter sets of a search that ended early, when excluded', () => {
    const { tree, terms } = cases[0];
    const single = searchCombinations(terms, tree, {
      size: 1,
      beamWidth: 2,
      exclude: (skills) => skills[0] % 2 === 0,
    });
    expect(single.map((c) => c.start)).toEqual(
      Array.from({ length: tree.skillCount }, (_, i) => i).filter((i) => i % 2 === 1),
    );
    // Every full set excluded: the search ends one step early, and those sets are excluded too.
    const none = searchCombinations(terms, tree, {
      size: 3,
      beamWidth: 3,
      mode: 'global',
      exclude: (skills) => skills.length >= 2,
    });
    expect(none).toEqual([]);
  });
});

describe('leaving out the sets the demo corpus carries often', () => {
  const samples = readDemoCorpus().map((sample) => sample.skills);
  const builder = new SkillGraphBuilder();
  for (const skills of samples) builder.add(skills);
  const graph = builder.build({ weighting: 'reference', minCount: 1 });
  const index = indexSamples(graph.names, samples);
  const { tree } = buildTree(graph, { levels: 3, builder: 'top-down' });
  const options = {
    size: 2,
    beamWidth: 10,
    perStart: 2,
    mode: 'most-coherent' as const,
    entropyMode: 'standard' as const,
  };

  it('reports none at or above the threshold, and finds others in their places', () => {
    const threshold = 2;
    const plain = findCombinations(graph, tree, options);
    const frequent = plain.filter(({ skills }) => cooccurrence(index, skills) >= threshold);
    expect(frequent.length).toBeGreaterThan(0);

    const found = findCombinations(graph, tree, {
      ...options,
      exclude: frequentInCorpus(index, threshold),
    });
    for (const { skills } of found) expect(cooccurrence(index, skills)).toBeLessThan(threshold);
    // The search found rarer sets in the places of the frequent ones (where filtering the rows
    // afterwards would leave gaps), farther up the tree where a community held only frequent ones.
    const startsOf = (combinations: { start: number }[]) =>
      new Set(combinations.map((c) => c.start));
    expect(startsOf(found)).toEqual(startsOf(plain));
    const shown = new Set(plain.map(({ skills }) => setKey(skills)));
    const replacements = found.filter(({ skills }) => !shown.has(setKey(skills)));
    expect(replacements.length).toBeGreaterThanOrEqual(frequent.length);
    expect(found.some((c) => c.lowestCommonNode.level < tree.height)).toBe(true);
  });

  it('asks for a positive whole threshold', () => {
    expect(() => frequentInCorpus(index, 0)).toThrow('threshold: must be a positive integer');
  });
});
