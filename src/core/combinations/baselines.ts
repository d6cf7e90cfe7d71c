// The sets STEPS is compared with: what a corpus builder gets without the method.
import { mulberry32 } from '../random/mulberry32';
import { samplesCarryingAll, samplesOf, type SampleIndex } from './sampleIndex';

/** A baseline's set for one start: the start first, then the skills in the order chosen. */
export interface BaselineSet {
  start: number;
  skills: number[];
}

/**
 * Random skill sets as Instruct-SkillMix draws them (arXiv 2408.14774: k skills sampled uniformly
 * from the extracted skill list, whatever their frequency): for each start, k − 1 other skills
 * drawn uniformly without replacement. One seeded stream over the starts in order, so the same
 * seed gives the same sets.
 */
export function randomSets(
  skillCount: number,
  starts: readonly number[],
  size: number,
  seed: number,
): BaselineSet[] {
  const random = mulberry32(seed);
  const partners = Math.min(size, skillCount) - 1;
  return starts.map((start) => {
    const skills = [start];
    while (skills.length <= partners) {
      const skill = Math.floor(random() * skillCount);
      if (!skills.includes(skill)) skills.push(skill);
    }
    return { start, skills };
  });
}

/**
 * The most frequent co-occurring sets: from each start, greedily, the skill that the most samples
 * carry together with the set so far; ties go to the skill with the most samples shared with the
 * set's skills one by one, then to the more frequent skill, then to the lower id. With k = 2 it is
 * the start's most frequent partner; a skill sharing no sample with the set comes only when none
 * does.
 */
export function frequentSets(
  index: SampleIndex,
  starts: readonly number[],
  size: number,
): BaselineSet[] {
  const n = index.skillCount;
  const byFrequency = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => samplesOf(index, b) - samplesOf(index, a) || a - b,
  );
  const together = new Int32Array(n);
  const pairwise = new Int32Array(n);
  const touched: number[] = [];
  const beats = (a: number, b: number) =>
    (together[a] - together[b] ||
      pairwise[a] - pairwise[b] ||
      samplesOf(index, a) - samplesOf(index, b) ||
      b - a) > 0;
  return starts.map((start) => {
    const skills = [start];
    while (skills.length < Math.min(size, n)) {
      // Only skills sharing a sample with the set can score above 0 on either count.
      for (const member of skills) {
        for (let k = index.skillStart[member]; k < index.skillStart[member + 1]; k++) {
          forEachSkill(index, index.skillSamples[k], (c) => {
            if (pairwise[c]++ === 0) touched.push(c);
          });
        }
      }
      for (const sample of samplesCarryingAll(index, skills)) {
        forEachSkill(index, sample, (c) => together[c]++);
      }
      let best = -1;
      for (const c of touched) {
        if (!skills.includes(c) && (best === -1 || beats(c, best))) best = c;
      }
      if (best === -1) best = byFrequency.find((c) => !skills.includes(c))!;
      for (const c of touched) together[c] = pairwise[c] = 0;
      touched.length = 0;
      skills.push(best);
    }
    return { start, skills };
  });
}

function forEachSkill(index: SampleIndex, sample: number, visit: (skill: number) => void): void {
  for (let k = index.sampleStart[sample]; k < index.sampleStart[sample + 1]; k++) {
    visit(index.sampleSkills[k]);
  }
}
