import { describe, expect, it } from 'vitest';
import { frequentSets, randomSets } from '../../../../src/core/combinations/baselines';
import { indexSamples } from '../../../../src/core/combinations/sampleIndex';

describe('random sets (as Instruct-SkillMix draws them)', () => {
  it('are seeded: the same seed gives the same sets, another seed others', () => {
    const starts = Array.from({ length: 50 }, (_, i) => i);
    const first = randomSets(50, starts, 4, 7);
    expect(randomSets(50, starts, 4, 7)).toEqual(first);
    expect(randomSets(50, starts, 4, 8)).not.toEqual(first);
    for (const { start, skills } of first) {
      expect(skills[0]).toBe(start);
      expect(new Set(skills).size).toBe(4);
      for (const skill of skills) expect(skill).toBeGreaterThanOrEqual(0);
      for (const skill of skills) expect(skill).toBeLessThan(50);
    }
  });

  it('draw partners uniformly, whatever the skills’ frequencies', () => {
    const n = 20;
    const starts = Array.from({ length: 4000 }, (_, i) => i % n);
    const times = new Array<number>(n).fill(0);
    for (const { skills } of randomSets(n, starts, 3, 1))
      for (const s of skills.slice(1)) times[s]++;
    // 8000 partners over 20 skills, each absent from its own start's rows: 8000 / 20 = 400 each.
    for (const count of times) expect(Math.abs(count - 400)).toBeLessThan(80);
  });

  it('are as long as the skills allow', () => {
    expect(randomSets(3, [0, 2], 5, 1).map((s) => [...s.skills].sort())).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });
});

describe('the most frequent co-occurring sets', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const index = indexSamples(names, [
    ['a', 'b'],
    ['a', 'b'],
    ['a', 'c', 'd'],
    ['a', 'c', 'd'],
    ['a', 'c', 'd'],
    ['b', 'e'],
    ['f'],
    ['f'],
  ]);

  it('add the skill most samples carry together with the set so far', () => {
    // a: with c 3, d 3, b 2; c before d on the tie (both 3 pairwise, same samples, lower id).
    // Then {a, c}: d is carried with both 3 times.
    expect(frequentSets(index, [0], 3)).toEqual([{ start: 0, skills: [0, 2, 3] }]);
    // b: with a 2, e 1; then {b, a}: no sample has a third skill, so the most pairwise: c and d
    // share 3 samples with a, c first.
    expect(frequentSets(index, [1], 3)).toEqual([{ start: 1, skills: [1, 0, 2] }]);
    // e: b; then {e, b}: a shares 2 samples with b.
    expect(frequentSets(index, [4], 3)).toEqual([{ start: 4, skills: [4, 1, 0] }]);
  });

  it('take the most frequent skill when nothing co-occurs with the set', () => {
    // f co-occurs with nothing: a is carried by most samples (5), then c and d (3).
    expect(frequentSets(index, [5], 3)).toEqual([{ start: 5, skills: [5, 0, 2] }]);
  });
});
