import { describe, expect, it } from 'vitest';
import {
  curriculumSchedule,
  defaultCurriculumWeights,
  largestRemainder,
} from '../../../../src/core/export/curriculum';

const countsOf = (schedule: ReturnType<typeof curriculumSchedule>) =>
  schedule.epochs.map((e) => e.counts);

describe('curriculumSchedule', () => {
  it('default ramp: small k first, large k last', () => {
    const schedule = curriculumSchedule({
      epochs: 3,
      samplesPerEpoch: 100,
      ks: [2, 3, 4, 5],
      seed: 1,
    });
    expect(schedule.weights).toEqual([
      [4, 3, 2, 1],
      [2.5, 2.5, 2.5, 2.5],
      [1, 2, 3, 4],
    ]);
    expect(countsOf(schedule)).toEqual([
      [40, 30, 20, 10],
      [25, 25, 25, 25],
      [10, 20, 30, 40],
    ]);
  });

  it('largest-remainder rounding sums exactly', () => {
    const schedule = curriculumSchedule({
      epochs: 3,
      samplesPerEpoch: 11,
      ks: [2, 4, 7],
      weights: [
        [5, 3, 2],
        [1, 1, 1],
        [0, 1, 4],
      ],
      seed: 9,
    });
    // 5.5/3.3/2.2 → 6,3,2; 3.67 each → 4,4,3 (ties to the smaller k); 0/2.2/8.8 → 0,2,9.
    expect(countsOf(schedule)).toEqual([
      [6, 3, 2],
      [4, 4, 3],
      [0, 2, 9],
    ]);
    for (const epoch of schedule.epochs) {
      expect(epoch.counts.reduce((a, b) => a + b)).toBe(11);
      expect(epoch.slots).toHaveLength(11);
    }
    expect(
      countsOf(curriculumSchedule({ epochs: 2, samplesPerEpoch: 10, ks: [2, 3, 4], seed: 1 })),
    ).toEqual([
      [5, 3, 2],
      [2, 3, 5],
    ]);
    expect(largestRemainder([1, 1, 1], 7)).toEqual([3, 2, 2]);
    expect(largestRemainder([1, 2], 0)).toEqual([0, 0]);
  });

  it('slots hold each k as often as counted, in a seeded order', () => {
    const options = { epochs: 4, samplesPerEpoch: 50, ks: [2, 3, 5], seed: 42 };
    const schedule = curriculumSchedule(options);
    expect(curriculumSchedule(options)).toEqual(schedule);
    expect(curriculumSchedule({ ...options, seed: 43 }).epochs[0].slots).not.toEqual(
      schedule.epochs[0].slots,
    );
    for (const epoch of schedule.epochs) {
      expect(options.ks.map((k) => epoch.slots.filter((s) => s === k).length)).toEqual(
        epoch.counts,
      );
    }
    const ascending = curriculumSchedule({ ...options, order: 'ascending' });
    expect(ascending.epochs[0].slots).toEqual([...schedule.epochs[0].slots].sort((a, b) => a - b));
    expect(countsOf(ascending)).toEqual(countsOf(schedule));
  });

  it('a single epoch weighs every k the same', () => {
    expect(defaultCurriculumWeights(1, 3)).toEqual([[2, 2, 2]]);
  });

  it('rejects bad options, naming the field', () => {
    const ok = { epochs: 2, samplesPerEpoch: 10, ks: [2, 3], seed: 1 };
    const cases: [object, string][] = [
      [{ epochs: 0 }, 'epochs: must be a positive integer, got 0'],
      [{ samplesPerEpoch: 2.5 }, 'samplesPerEpoch: must be a non-negative integer, got 2.5'],
      [{ ks: [] }, 'ks: at least one k is needed'],
      [{ ks: [2, 0] }, 'ks[1]: must be a positive integer, got 0'],
      [{ ks: [3, 3] }, 'ks[1]: k = 3 appears twice'],
      [{ weights: [[1, 1]] }, 'weights: needs one row per epoch (2), got 1'],
      [{ weights: [[1, 1], [1]] }, 'weights[1]: needs one weight per k (2), got 1'],
      [
        {
          weights: [
            [1, -1],
            [1, 1],
          ],
        },
        'weights[0][1] (k = 3): must be a finite number >= 0, got -1',
      ],
      [
        {
          weights: [
            [1, NaN],
            [1, 1],
          ],
        },
        'weights[0][1] (k = 3): must be a finite number >= 0, got NaN',
      ],
      [
        {
          weights: [
            [1, 1],
            [0, 0],
          ],
        },
        'weights[1]: all weights are 0; at least one must be positive',
      ],
    ];
    for (const [change, message] of cases) {
      expect(() => curriculumSchedule({ ...ok, ...change })).toThrow(message);
    }
  });
});
