import { describe, expect, it } from 'vitest';
import { nodeCount } from '../../../../src/core/graph/skillGraph';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import {
  combinationsByStart,
  localSearchModes,
  searchCombinations,
  searchCombinationTable,
  searchModes,
  tableCombinations,
  type Combination,
  type CombinationSearchOptions,
  type SearchMode,
} from '../../../../src/core/taxonomy/combinationSearch';
import { conditionalEntropyOfTerms, treeTerms } from '../../../../src/core/taxonomy/entropy';
import { plainBeam, plainScope } from '../../../../src/core/taxonomy/spec/plainBeam';
import { encodingTreeFromLevels } from './levelsToTree';
import { graphOfEdges, randomGraph, randomLevels } from './randomTrees';
import {
  closeTo,
  loadReferenceCase,
  referenceGraphNames,
  referenceTree,
  type ReferenceSearch,
} from './referenceFixtures';

const referenceMode: Record<ReferenceSearch['method'], SearchMode> = {
  find_max_global_conditional_entropy_sets: 'reference-global',
  find_max_local_chain_conditional_entropy_sets: 'reference-local',
};

/**
 * Compares our ranked sets with the reference's: same length, scores within tolerance rank by
 * rank, and within every group of equal scores the same sets (their order inside a group is
 * rounding noise).
 */
function compareRanked(actual: Combination[], search: ReferenceSearch, where: string): void {
  const expected = search.results;
  expect(actual.length, `${where}: number of sets`).toBe(expected.length);
  let groupStart = 0;
  while (groupStart < expected.length) {
    let groupEnd = groupStart + 1;
    while (groupEnd < expected.length && closeTo(expected[groupEnd][0], expected[groupStart][0])) {
      groupEnd++;
    }
    for (let r = groupStart; r < groupEnd; r++) {
      if (!closeTo(actual[r].score, expected[r][0])) {
        expect.fail(`${where} rank ${r}: score ${actual[r].score}, reference ${expected[r][0]}`);
      }
    }
    const ours = actual.slice(groupStart, groupEnd).map((c) => setKey(c.skills.slice(1)));
    const theirs = expected.slice(groupStart, groupEnd).map(([, y]) => setKey(y));
    expect(ours.sort(), `${where} ranks ${groupStart}..${groupEnd - 1}`).toEqual(theirs.sort());
    groupStart = groupEnd;
  }
}

function setKey(skills: number[]): string {
  return [...skills].sort((a, b) => a - b).join(',');
}

describe('reference searches (float64)', () => {
  for (const name of referenceGraphNames) {
    const { graph, runs } = loadReferenceCase(name);
    for (const run of runs) {
      it(`${name} k_dim=${run.kDim}`, () => {
        const tree = referenceTree(run, nodeCount(graph));
        const terms = treeTerms(graph, tree, 'reference');
        const searches = run.paper_setting_search
          ? [...run.searches, run.paper_setting_search]
          : run.searches;
        for (const search of searches) {
          const mode = referenceMode[search.method];
          const found = searchCombinations(terms, tree, {
            size: search.set_size + 1,
            beamWidth: search.beam_width,
            starts: search.x_set,
            mode,
          });
          compareRanked(
            found,
            search,
            `${name} k_dim=${run.kDim} ${mode} x=${search.x_set} set_size=${search.set_size} B=${search.beam_width}`,
          );
        }
      });
    }
  }
});

describe('combination search on random graphs', () => {
  const random = mulberry32(777);
  const cases = Array.from({ length: 30 }, (_, index) => {
    const n = 5 + Math.floor(random() * 21);
    const graph = randomGraph(random, n, 0.1 + random() * 0.4);
    const levels = randomLevels(random, n, 1 + Math.floor(random() * 3), 4);
    const tree = encodingTreeFromLevels(levels, n);
    const entropyMode = index % 3 === 0 ? 'reference' : 'standard';
    return { n, levels, tree, terms: treeTerms(graph, tree, entropyMode) };
  });
  it('equals the plain beam search in every mode and scope (sets, order, scores)', () => {
    for (const { n, levels, tree, terms } of cases) {
      for (const mode of searchModes) {
        const size = 2 + Math.floor(random() * 4);
        const beamWidth = 1 + Math.floor(random() * 8);
        const starts = [0, Math.floor(random() * n)];
        const scope = localSearchModes.includes(mode) ? Math.floor(random() * levels.length) : 0;
        const found = searchCombinations(terms, tree, { size, beamWidth, starts, mode, scope });
        const expected = starts.flatMap((start) =>
          plainBeam(terms, start, size, beamWidth, plainScope(mode, levels, start, scope)).map(
            ({ score, y }) => ({ start, skills: [start, ...y], score }),
          ),
        );
        expect(
          found.map(({ start, skills, score }) => ({ start, skills, score })),
          `${mode} size=${size} B=${beamWidth} scope=${scope}`,
        ).toEqual(expected);
      }
    }
  });

  it('equals the plain beam search where many sets tie (a ring of unit weights, wider beams)', () => {
    // Every skill has the same degree, so equal communities give equal terms and sets tie often:
    // their order rests on the first position alone.
    const random = mulberry32(4242);
    const n = 60;
    const ring: [number, number, number][] = [];
    for (let u = 0; u < n; u++) ring.push([u, (u + 1) % n, 1], [u, (u + 2) % n, 1]);
    const graph = graphOfEdges(n, ring);
    for (let run = 0; run < 4; run++) {
      const levels = randomLevels(random, n, 2 + (run % 2), 3);
      const tree = encodingTreeFromLevels(levels, n);
      const terms = treeTerms(graph, tree, run < 2 ? 'standard' : 'reference');
      for (const mode of searchModes) {
        const starts = [0, 1 + Math.floor(random() * (n - 1))];
        const found = searchCombinations(terms, tree, { size: 4, beamWidth: 12, starts, mode });
        const expected = starts.flatMap((start) =>
          plainBeam(terms, start, 4, 12, plainScope(mode, levels, start, 0)).map(
            ({ score, y }) => ({ start, skills: [start, ...y], score }),
          ),
        );
        expect(
          found.map(({ start, skills, score }) => ({ start, skills, score })),
          `${mode} run ${run}`,
        ).toEqual(expected);
      }
    }
  });

  /** The start's community at `level` of the levels form. */
  const communityAt = (levels: number[][][], level: number, start: number) =>
    levels[level].find((members) => members.includes(start))!;

  it('most-coherent sets are never short, stay in the lowest community large enough, score H(Y|x)', () => {
    for (const { n, levels, tree, terms } of cases) {
      const size = Math.min(n, 2 + Math.floor(random() * 6));
      const found = searchCombinations(terms, tree, { size, beamWidth: 5, mode: 'most-coherent' });
      expect(new Set(found.map((c) => c.start)).size).toBe(n);
      for (const { start, skills, score, lowestCommonNode } of found) {
        expect(skills.length).toBe(size);
        expect(skills[0]).toBe(start);
        expect(new Set(skills).size).toBe(size);
        let level = levels.length - 1;
        while (communityAt(levels, level, start).length < size) level--;
        expect(lowestCommonNode.level).toBe(level);
        expect(levels[level][lowestCommonNode.community]).toContain(start);
        expect(closeTo(score, conditionalEntropyOfTerms(terms, [start], skills.slice(1)))).toBe(
          true,
        );
      }
    }
  });

  it('local sets widen one level per step from the start’s base and are never short', () => {
    for (const { n, levels, tree, terms } of cases) {
      const size = Math.min(n, 2 + Math.floor(random() * 6));
      const found = searchCombinations(terms, tree, { size, beamWidth: 4 });
      expect(new Set(found.map((c) => c.start)).size).toBe(n);
      for (const { start, skills, score } of found) {
        expect(skills.length).toBe(size);
        expect(new Set(skills).size).toBe(size);
        let base = levels.length - 1;
        while (base > 0 && communityAt(levels, base, start).length < 2) base--;
        // Step t draws from the start's ancestor t levels above its base whenever that one still
        // has a skill outside the set, which it has when it holds at least t + 2 skills.
        for (let t = 0; t < size - 1; t++) {
          const scope = communityAt(levels, Math.max(base - t, 0), start);
          if (scope.length >= t + 2) expect(scope, `step ${t}`).toContain(skills[t + 1]);
        }
        expect(closeTo(score, conditionalEntropyOfTerms(terms, [start], skills.slice(1)))).toBe(
          true,
        );
      }
    }
  });

  it('a coherence scope keeps every set inside the start’s community of that level', () => {
    for (const { levels, tree, terms } of cases.filter((c) => c.levels.length > 1)) {
      const scope = 1 + Math.floor(random() * (levels.length - 1));
      for (const mode of localSearchModes) {
        const found = searchCombinations(terms, tree, { size: 4, beamWidth: 3, mode, scope });
        for (const { start, skills, lowestCommonNode } of found) {
          const community = communityAt(levels, scope, start);
          expect(skills.length).toBe(Math.min(4, community.length));
          for (const skill of skills) expect(community).toContain(skill);
          expect(lowestCommonNode.level).toBeGreaterThanOrEqual(scope);
        }
      }
    }
    const { tree, terms } = cases[0];
    expect(() =>
      searchCombinations(terms, tree, { size: 3, beamWidth: 2, mode: 'global', scope: 1 }),
    ).toThrow('scope: applies to the local and most-coherent searches, not global');
    expect(() =>
      searchCombinations(terms, tree, { size: 3, beamWidth: 2, scope: tree.height + 1 }),
    ).toThrow('scope: must be a level from 0');
  });

  it('with a beam as wide as the number of sets, global search is exhaustive', () => {
    for (const { n, tree, terms } of cases.filter((c) => c.n <= 10)) {
      const pairs: number[] = [];
      for (let a = 1; a < n; a++) {
        for (let b = a + 1; b < n; b++) pairs.push(conditionalEntropyOfTerms(terms, [0], [a, b]));
      }
      const found = searchCombinations(terms, tree, {
        size: 3,
        beamWidth: pairs.length,
        starts: [0],
        mode: 'global',
      });
      const scores = found.map((c) => c.score);
      pairs.sort((a, b) => b - a);
      expect(scores.length).toBe(pairs.length);
      scores.forEach((score, r) => expect(closeTo(score, pairs[r])).toBe(true));
    }
  });

  it('dedupeAcrossStarts keeps each set once, at its best score', () => {
    const { tree, terms } = cases[1];
    const all = searchCombinations(terms, tree, { size: 3, beamWidth: 6, mode: 'global' });
    const kept = searchCombinations(terms, tree, {
      size: 3,
      beamWidth: 6,
      mode: 'global',
      dedupeAcrossStarts: true,
    });
    const keys = kept.map((c) => setKey(c.skills));
    expect(new Set(keys).size).toBe(keys.length);
    expect(kept.length).toBeLessThan(all.length);
    for (const combination of all) {
      const held = kept[keys.indexOf(setKey(combination.skills))];
      expect(held.score).toBeGreaterThanOrEqual(combination.score);
    }
  });

  it('dedupeAcrossStarts keeps exactly the first of the best-scoring rows of each set, in order', () => {
    for (const { tree, terms } of cases) {
      for (const mode of ['global', 'local', 'reference-local'] as const) {
        const options = { size: 4, beamWidth: 5, mode };
        const all = searchCombinations(terms, tree, options);
        const best = new Map<string, number>();
        all.forEach((combination, index) => {
          const key = setKey(combination.skills);
          const held = best.get(key);
          if (held === undefined || combination.score > all[held].score) best.set(key, index);
        });
        const plainKept = all.filter((_, index) => [...best.values()].includes(index));
        const kept = searchCombinations(terms, tree, { ...options, dedupeAcrossStarts: true });
        expect(kept, mode).toEqual(plainKept);
      }
    }
  });

  it('gives the same combinations as typed rows, all at once or start by start', () => {
    const { tree, terms } = cases[2];
    const variants: CombinationSearchOptions[] = [
      { size: 4, beamWidth: 6 },
      { size: 5, beamWidth: 3, mode: 'reference-local', perStart: 2 },
      { size: 3, beamWidth: 4, mode: 'global', starts: [5, 1, 5], dedupeAcrossStarts: true },
      { size: 1, beamWidth: 2 },
    ];
    for (const options of variants) {
      const objects = searchCombinations(terms, tree, options);
      expect(tableCombinations(searchCombinationTable(terms, tree, options), tree)).toEqual(
        objects,
      );
      if (options.dedupeAcrossStarts) continue;
      const byStart: Combination[] = [];
      for (const rows of combinationsByStart(terms, tree, options)) {
        byStart.push(...tableCombinations(rows, tree));
      }
      expect(byStart, JSON.stringify(options)).toEqual(objects);
    }
  });

  it('reports each start searched, in order, ending with all of them', () => {
    const { n, tree, terms } = cases[2];
    const reported: number[] = [];
    searchCombinations(terms, tree, {
      size: 3,
      beamWidth: 4,
      onStartDone: (d) => reported.push(d),
    });
    expect(reported).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('perStart keeps the best sets of each start; bad options name the field', () => {
    const { tree, terms } = cases[2];
    const top = searchCombinations(terms, tree, {
      size: 3,
      beamWidth: 6,
      perStart: 2,
      starts: [1],
    });
    const all = searchCombinations(terms, tree, { size: 3, beamWidth: 6, starts: [1] });
    expect(top).toEqual(all.slice(0, 2));
    expect(() => searchCombinations(terms, tree, { size: 0, beamWidth: 2 })).toThrow('size');
    expect(() => searchCombinations(terms, tree, { size: 3, beamWidth: 2, starts: [99] })).toThrow(
      'starts[0]',
    );
  });
});
