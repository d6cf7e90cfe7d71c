import type { SearchMode } from '../combinationSearch';
import { conditionalEntropyOfTerms, type TreeTerms } from '../entropy';

/**
 * The combination search written plainly: the executable specification that
 * `searchCombinations` (../combinationSearch.ts) must equal, set for set, in order, score for
 * score. The tests compare the two on random trees in every mode; this one recomputes every
 * conditional entropy from scratch and is only for reading and checking.
 *
 * The reference's beam search: the beam starts as the empty set; at each of the size − 1 steps,
 * every (entry, candidate) pair is scored as the entry's score plus H(c | start ∪ Y), in beam
 * order, then ascending candidate. A Map keeps the distinct sets (a set met again keeps its first
 * position and its higher score), a stable sort by score keeps the best `width`. A step that
 * finds no candidate ends the search with shorter sets. With `exclude`, a skill whose set (start
 * first) it excludes is no candidate at the last step, and no excluded set is returned.
 */
export function plainBeam(
  terms: TreeTerms,
  start: number,
  size: number,
  width: number,
  scope: (step: number, chain: number[], isCandidate: (skill: number) => boolean) => number[],
  exclude?: (skills: readonly number[]) => boolean,
): { score: number; y: number[] }[] {
  let beam = [{ score: 0, y: [] as number[] }];
  for (let step = 0; step < size - 1; step++) {
    const found = new Map<string, { score: number; y: number[] }>();
    for (const entry of beam) {
      const chain = [start, ...entry.y];
      const isCandidate = (c: number) =>
        !chain.includes(c) && !(step === size - 2 && exclude?.([...chain, c]));
      for (const c of scope(step, chain, isCandidate)) {
        if (!isCandidate(c)) continue;
        const score = entry.score + conditionalEntropyOfTerms(terms, chain, [c]);
        const key = [...entry.y, c].sort((a, b) => a - b).join(',');
        const held = found.get(key);
        if (!held || score > held.score) found.set(key, { score, y: [...entry.y, c] });
      }
    }
    if (found.size === 0) break;
    beam = [...found.values()].sort((a, b) => b.score - a.score).slice(0, width);
  }
  return exclude ? beam.filter(({ y }) => !exclude([start, ...y])) : beam;
}

/**
 * Where each mode takes its candidates from, read off the tree's levels (as `treeLevels` in
 * ../treeLevels.ts gives them, communities listing their skills ascending):
 * - `global`, `reference-global`: every skill (defect 4 in docs/method.md);
 * - `reference-local`: at step t, the start's community at depth t, the root again once past the
 *   leaves (defect 5 in docs/method.md);
 * - `local`: at step t, the start's community t levels above its deepest community of two or more
 *   skills, or the lowest one above that with a candidate (a skill outside the set, not excluded);
 * - `most-coherent`: the start's lowest community with a candidate.
 * The local modes never look above level `scope` (0 = the root).
 */
export function plainScope(
  mode: SearchMode,
  levels: number[][][],
  start: number,
  scope = 0,
): (step: number, chain: number[], isCandidate: (skill: number) => boolean) => number[] {
  const height = levels.length - 1;
  const communityAt = (level: number) => levels[level].find((members) => members.includes(start))!;
  const lowestWithCandidate = (from: number, isCandidate: (skill: number) => boolean) => {
    for (let level = from; level >= scope; level--) {
      const members = communityAt(level);
      if (members.some(isCandidate)) return members;
    }
    return [];
  };
  let base = height;
  while (base > 0 && communityAt(base).length < 2) base--;
  switch (mode) {
    case 'global':
    case 'reference-global':
      return () => levels[0][0];
    case 'reference-local':
      return (step) => communityAt(step <= height ? step : 0);
    case 'local':
      return (step, _, isCandidate) =>
        lowestWithCandidate(Math.max(base - step, scope), isCandidate);
    case 'most-coherent':
      return (_step, _chain, isCandidate) => lowestWithCandidate(height, isCandidate);
  }
}
