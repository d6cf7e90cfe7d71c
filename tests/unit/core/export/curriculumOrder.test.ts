import { describe, expect, it } from 'vitest';
import {
  curriculumOrder,
  type CurriculumSampleRef,
} from '../../../../src/core/export/curriculumOrder';
import { curriculumSchedule } from '../../../../src/core/export/curriculum';

const refs = (k: number, count: number): CurriculumSampleRef[] =>
  Array.from({ length: count }, (_, i) => ({ id: `k${k}-${i}`, k }));

// 10 samples of k = 2, 6 of k = 3, 3 of k = 4, and 2 of k = 5 the schedule leaves out.
const samples = [...refs(2, 10), ...refs(3, 6), ...refs(4, 3), ...refs(5, 2)];
const kOf = new Map(samples.map((s) => [s.id, s.k]));
// Default ramp over 3 epochs of 8: counts [4, 3, 1], [3, 3, 2], [1, 3, 4].
const schedule = curriculumSchedule({ epochs: 3, samplesPerEpoch: 8, ks: [2, 3, 4], seed: 11 });

describe('curriculumOrder', () => {
  const order = curriculumOrder(samples, schedule, 11);

  it('fills every slot with a sample of its k: exact counts per epoch and k', () => {
    expect(order.epochs.map((e) => e.counts)).toEqual([
      [4, 3, 1],
      [3, 3, 2],
      [1, 3, 4],
    ]);
    order.epochs.forEach((epoch, e) => {
      expect(epoch.ids.map((id) => kOf.get(id))).toEqual(schedule.epochs[e].slots);
      const perK = [2, 3, 4].map((k) => epoch.ids.filter((id) => kOf.get(id) === k).length);
      expect(perK).toEqual(schedule.epochs[e].counts);
    });
  });

  it('draws without repeats within an epoch while a k has enough samples', () => {
    for (const [e, epoch] of order.epochs.entries()) {
      const k4 = epoch.ids.filter((id) => kOf.get(id) === 4);
      const others = epoch.ids.filter((id) => kOf.get(id) !== 4);
      expect(new Set(others).size).toBe(others.length);
      if (e < 2) expect(new Set(k4).size).toBe(k4.length);
    }
  });

  it('uses the least-used samples first across epochs', () => {
    const k3 = order.epochs.map((epoch) => epoch.ids.filter((id) => kOf.get(id) === 3));
    // 6 samples of k = 3, 3 per epoch: epochs 1 and 2 together use each exactly once.
    expect(new Set([...k3[0], ...k3[1]]).size).toBe(6);
    expect(order.perK).toEqual([
      { k: 2, available: 10, draws: 8, distinctUsed: 8 },
      { k: 3, available: 6, draws: 9, distinctUsed: 6 },
      { k: 4, available: 3, draws: 7, distinctUsed: 3 },
    ]);
  });

  it('cycles when an epoch needs more samples than a k has, and says so', () => {
    expect(order.shortfalls).toEqual([{ epoch: 2, k: 4, needed: 4, available: 3, repeats: 1 }]);
    const k4 = order.epochs[2].ids.filter((id) => kOf.get(id) === 4);
    expect(new Set(k4)).toEqual(new Set(['k4-0', 'k4-1', 'k4-2']));
    expect(k4).toHaveLength(4);
    expect(order.unscheduled).toEqual([{ k: 5, samples: 2 }]);
  });

  it('is deterministic for a seed and independent of the samples’ order', () => {
    expect(curriculumOrder([...samples].reverse(), schedule, 11)).toEqual(order);
    const other = curriculumOrder(samples, schedule, 12);
    expect(other.epochs.map((e) => e.ids)).not.toEqual(order.epochs.map((e) => e.ids));
    expect(other.epochs.map((e) => e.counts)).toEqual(order.epochs.map((e) => e.counts));
  });

  it('rejects a k without samples and repeated ids, naming them', () => {
    expect(() => curriculumOrder(refs(2, 10), schedule, 1)).toThrow(
      'epoch 1: the curriculum needs 3 samples with k = 3, but there are none',
    );
    expect(() => curriculumOrder([...samples, { id: 'k2-0', k: 2 }], schedule, 1)).toThrow(
      'samples[21]: id "k2-0" appears twice',
    );
  });
});
