import { describe, expect, it } from 'vitest';
import {
  COLLAPSE_SHARE,
  combinationFacts,
  combinationFrequencies,
  cooccurrence,
  combinationSetFacts,
  frequentInCorpus,
  frequentLeftOut,
  partnerDiversity,
  unseenShareBySize,
} from '../../../../src/core/combinations/combinationFacts';
import { indexSamples, samplesCarryingAll } from '../../../../src/core/combinations/sampleIndex';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { randomSubset } from '../taxonomy/randomTrees';

const names = ['a', 'b', 'c', 'd', 'e'];
// a b c together twice, a b once more, c d once, e alone, and a tag the graph does not have.
const corpus = [
  ['a', 'b', 'c'],
  ['c', 'b', 'a', 'a'],
  ['a', 'b'],
  ['c', 'd', 'zzz'],
  ['e'],
  ['zzz'],
];
const index = indexSamples(names, corpus);

/** Samples of a corpus given as id lists that carry every one of `skills`, counted plainly. */
function plainCount(samples: number[][], skills: number[]): number {
  return samples.filter((sample) => skills.every((skill) => sample.includes(skill))).length;
}

describe('the sample index and co-occurrence counts', () => {
  it('indexes each sample’s known skills once and leaves out samples with none', () => {
    expect(index.sampleCount).toBe(5);
    expect(Array.from(index.sampleSkills)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4]);
    expect(cooccurrence(index, [0, 1, 2])).toBe(2);
    expect(cooccurrence(index, [1, 0])).toBe(3);
    expect(cooccurrence(index, [2, 3])).toBe(1);
    expect(cooccurrence(index, [0, 3])).toBe(0);
    expect(cooccurrence(index, [4])).toBe(1);
  });

  it('gives each combination its co-occurrence and its rarest pair', () => {
    expect(combinationFacts(index, [0, 1, 2])).toEqual({
      cooccurrence: 2,
      rarestPair: { skills: [0, 2], count: 2 },
    });
    expect(combinationFacts(index, [2, 3, 0])).toEqual({
      cooccurrence: 0,
      rarestPair: { skills: [3, 0], count: 0 },
    });
    expect(combinationFacts(index, [4])).toEqual({ cooccurrence: 1, rarestPair: undefined });
  });

  it('counts as a plain scan does on random corpora', () => {
    const random = mulberry32(31);
    for (let round = 0; round < 20; round++) {
      const n = 4 + Math.floor(random() * 20);
      const samples = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
        randomSubset(random, n, 1 + Math.floor(random() * Math.min(n, 6))),
      );
      const ids = indexSamples(
        Array.from({ length: n }, (_, i) => `s${i}`),
        samples.map((sample) => sample.map((id) => `s${id}`)),
      );
      for (let query = 0; query < 30; query++) {
        const skills = randomSubset(random, n, 1 + Math.floor(random() * 4));
        expect(cooccurrence(ids, skills)).toBe(plainCount(samples, skills));
        expect(samplesCarryingAll(ids, skills)).toEqual(
          samples.flatMap((sample, s) => (skills.every((k) => sample.includes(k)) ? [s] : [])),
        );
      }
    }
  });
});

describe('combination facts against their definition', () => {
  it('give the co-occurrence and the first least frequent pair, as a plain scan does', () => {
    const random = mulberry32(47);
    for (let round = 0; round < 30; round++) {
      const n = 3 + Math.floor(random() * 15);
      const samples = Array.from({ length: 1 + Math.floor(random() * 80) }, () =>
        randomSubset(random, n, 1 + Math.floor(random() * Math.min(n, 5))),
      );
      const ids = indexSamples(
        Array.from({ length: n }, (_, i) => `s${i}`),
        samples.map((sample) => sample.map((id) => `s${id}`)),
      );
      for (let query = 0; query < 30; query++) {
        const skills = randomSubset(random, n, 1 + Math.floor(random() * Math.min(n, 7)));
        // Now and then a repeated skill, which the definition allows.
        if (query % 7 === 0) skills.push(skills[0]);
        let rarestPair: { skills: [number, number]; count: number } | undefined;
        for (let a = 0; a < skills.length; a++) {
          for (let b = a + 1; b < skills.length; b++) {
            const count = plainCount(samples, [skills[a], skills[b]]);
            if (!rarestPair || count < rarestPair.count) {
              rarestPair = { skills: [skills[a], skills[b]], count };
            }
          }
        }
        expect(combinationFacts(ids, skills)).toEqual({
          cooccurrence: plainCount(samples, skills),
          rarestPair,
        });
      }
    }
  });
});

describe('what the chosen combinations add', () => {
  it('gives per k the share never seen in the corpus', () => {
    const chosen = [
      { skills: [0, 1] },
      { skills: [0, 3] },
      { skills: [0, 1, 2] },
      { skills: [4, 0, 1] },
    ];
    expect(unseenShareBySize(index, chosen)).toEqual([
      { size: 2, sets: 2, unseen: 1, share: 0.5 },
      { size: 3, sets: 2, unseen: 1, share: 0.5 },
    ]);
  });

  it('finds the most repeated partner and calls a collapse when it dominates', () => {
    const rows = Array.from({ length: 10 }, (_, start) => ({
      start,
      skills: [start, start === 7 ? 8 : 7, 20 + start],
    }));
    const collapsed = partnerDiversity(rows, 100);
    expect(collapsed).toMatchObject({
      rows: 10,
      distinctPartners: 12,
      topPartner: 7,
      topPartnerRows: 9,
      topPartnerShare: 0.9,
      verdict: 'collapsed',
    });
    expect(collapsed.message).toContain('One partner skill is in 9 of 10 rows (90 %)');
    // Each partner once: diverse.
    const spread = partnerDiversity(
      rows.map(({ start }) => ({ start, skills: [start, 30 + start] })),
      100,
    );
    expect(spread).toMatchObject({ topPartner: 30, topPartnerShare: 0.1, verdict: 'diverse' });
    expect(spread.message).toBeUndefined();
  });

  it('does not call a small skill set collapsed for repeating what uniform draws would', () => {
    // 12 skills, k = 3: a uniform partner is in 2/11 of the rows; 3 of 12 rows is only 25 %.
    const rows = Array.from({ length: 12 }, (_, start) => ({
      start,
      skills: [start, start < 3 ? 11 : (start + 1) % 11, (start + 2) % 11],
    }));
    const diversity = partnerDiversity(rows, 12);
    expect(diversity.topPartnerShare).toBeGreaterThanOrEqual(COLLAPSE_SHARE);
    expect(diversity.verdict).toBe('diverse');
    expect(partnerDiversity([], 12)).toMatchObject({
      rows: 0,
      topPartnerShare: 0,
      verdict: 'diverse',
    });
  });

  it('gives the corpus’s distribution of k-set frequencies with the chosen sets beside it', () => {
    // Pairs: ab 3, ac 2, bc 2, cd 1.
    const frequencies = combinationFrequencies(index, 2, [
      { skills: [1, 0] },
      { skills: [2, 3] },
      { skills: [0, 4] },
      { skills: [0, 1, 2] },
    ]);
    expect(frequencies).toEqual({
      size: 2,
      distinctSets: 4,
      corpus: [
        { frequency: 1, sets: 1 },
        { frequency: 2, sets: 2 },
        { frequency: 3, sets: 1 },
      ],
      chosen: [
        { frequency: 1, sets: 1 },
        { frequency: 3, sets: 1 },
      ],
      chosenUnseen: 1,
    });
    expect(combinationFrequencies(index, 3, []).corpus).toEqual([{ frequency: 2, sets: 1 }]);
    expect(() => combinationFrequencies(index, 2, [], 3)).toThrow(
      'the samples hold more than 3 sets of 2 skills',
    );
  });

  it('measures what leaving out the frequent combinations changed: dropped, replaced, short', () => {
    const ranked = [
      { start: 0, skills: [0, 1] }, // 3 samples: dropped
      { start: 0, skills: [0, 2] }, // 2: kept
      { start: 0, skills: [0, 3] }, // 0: replaces [0, 1]
      { start: 0, skills: [0, 4] }, // not needed
      { start: 3, skills: [3, 2] }, // 1: kept
      { start: 1, skills: [1, 0] }, // 3: dropped, nothing after it
    ];
    // A search's two best per start, and the same search leaving out sets of 3 samples or more.
    const shown = [ranked[0], ranked[1], ranked[4], ranked[5]];
    const kept = [ranked[1], ranked[2], ranked[4]];
    const result = frequentLeftOut(index, shown, kept, 3, 2);
    expect(result.kept).toEqual([ranked[1], ranked[2], ranked[4]]);
    expect(result.dropped).toEqual([ranked[0], ranked[5]]);
    expect(result.replacements).toEqual([ranked[2]]);
    expect(result.startsShort).toEqual([3, 1]);
    expect(() => frequentLeftOut(index, shown, kept, 0, 2)).toThrow('threshold');
    const frequent = frequentInCorpus(index, 3);
    expect(ranked.filter(({ skills }) => frequent(skills))).toEqual([ranked[0], ranked[5]]);
  });

  it('describes a search’s combinations: facts per row, unseen share, partners, frequencies', () => {
    const chosen = [
      { start: 0, skills: [0, 1] },
      { start: 2, skills: [2, 3] },
      { start: 4, skills: [4, 0] },
    ];
    const described = combinationSetFacts(index, chosen, 2);
    expect(described.facts).toEqual(chosen.map(({ skills }) => combinationFacts(index, skills)));
    expect(described.unseen).toEqual(unseenShareBySize(index, chosen));
    expect(described.partners).toEqual(partnerDiversity(chosen, names.length));
    expect(described.frequencies).toEqual(combinationFrequencies(index, 2, chosen));
    const tooMany = combinationSetFacts(index, chosen, 2, 3);
    expect(tooMany.frequencies).toBeNull();
    expect(tooMany.frequenciesError).toContain('the samples hold more than 3 sets of 2 skills');
    expect(tooMany.facts).toEqual(described.facts);
  });
});
