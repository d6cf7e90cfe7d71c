import { mulberry32 } from '../random/mulberry32';
import type { CurriculumSchedule } from './curriculum';
import { fmix32 } from '../hash';

/**
 * Fills a curriculum schedule with real samples: every slot of an epoch (its k, in the schedule's
 * training order) gets one sample of that k, so each epoch has exactly the scheduled count per k.
 *
 * Within an epoch a sample is drawn at most once while its k still has unused samples; the draw
 * order is a seeded shuffle, stably sorted so that samples used least in earlier epochs come
 * first (reuse across epochs only once every sample of the k has had its turn). When an epoch
 * needs more samples of a k than exist, it cycles through them again (a new pass, same rule) and
 * the result lists that shortfall. The result depends on the set of samples, not their order.
 */
export interface CurriculumSampleRef {
  id: string;
  k: number;
}

export interface CurriculumShortfall {
  /** 0-based epoch. */
  epoch: number;
  k: number;
  needed: number;
  available: number;
  /** Draws of a sample already drawn earlier in the same epoch: needed − available. */
  repeats: number;
}

export interface CurriculumKUse {
  k: number;
  /** Samples of this k. */
  available: number;
  /** Slots filled with this k over all epochs. */
  draws: number;
  /** Samples of this k used at least once. */
  distinctUsed: number;
}

export interface CurriculumOrder {
  ks: number[];
  /** Per epoch: sample ids in training order and the count per k (parallel to `ks`). */
  epochs: { ids: string[]; counts: number[] }[];
  shortfalls: CurriculumShortfall[];
  perK: CurriculumKUse[];
  /** Samples of a k the schedule has no slots for (left out of every epoch). */
  unscheduled: { k: number; samples: number }[];
}

function shuffle<T>(values: T[], random: () => number) {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
}

export function curriculumOrder(
  samples: readonly CurriculumSampleRef[],
  schedule: CurriculumSchedule,
  seed: number,
): CurriculumOrder {
  const { ks } = schedule;
  const pools = new Map<number, string[]>(ks.map((k) => [k, []]));
  const unscheduledByK = new Map<number, number>();
  const seen = new Set<string>();
  samples.forEach((sample, i) => {
    if (seen.has(sample.id)) throw new Error(`samples[${i}]: id "${sample.id}" appears twice`);
    seen.add(sample.id);
    const pool = pools.get(sample.k);
    if (pool) pool.push(sample.id);
    else unscheduledByK.set(sample.k, (unscheduledByK.get(sample.k) ?? 0) + 1);
  });
  for (const pool of pools.values()) pool.sort();

  // Decorrelated from the schedule's own slot shuffle, which uses mulberry32(seed).
  const random = mulberry32(fmix32(seed));
  const uses = new Map<string, number>();
  const draws = new Map<number, number>(ks.map((k) => [k, 0]));
  const shortfalls: CurriculumShortfall[] = [];

  const epochs = schedule.epochs.map((epoch, e) => {
    const queues = new Map<number, string[]>();
    ks.forEach((k, j) => {
      const needed = epoch.counts[j];
      const pool = pools.get(k)!;
      if (needed === 0) return;
      if (pool.length === 0) {
        throw new Error(
          `epoch ${e + 1}: the curriculum needs ${needed} samples with k = ${k}, but there are none`,
        );
      }
      if (needed > pool.length) {
        shortfalls.push({
          epoch: e,
          k,
          needed,
          available: pool.length,
          repeats: needed - pool.length,
        });
      }
      const queue: string[] = [];
      while (queue.length < needed) {
        const pass = [...pool];
        shuffle(pass, random);
        pass.sort((a, b) => (uses.get(a) ?? 0) - (uses.get(b) ?? 0));
        for (const id of pass.slice(0, needed - queue.length)) {
          queue.push(id);
          uses.set(id, (uses.get(id) ?? 0) + 1);
        }
      }
      draws.set(k, draws.get(k)! + needed);
      queues.set(k, queue.reverse());
    });
    const ids = epoch.slots.map((k) => queues.get(k)!.pop()!);
    return { ids, counts: [...epoch.counts] };
  });

  return {
    ks: [...ks],
    epochs,
    shortfalls,
    perK: ks.map((k) => ({
      k,
      available: pools.get(k)!.length,
      draws: draws.get(k)!,
      distinctUsed: pools.get(k)!.filter((id) => uses.has(id)).length,
    })),
    unscheduled: [...unscheduledByK]
      .sort((a, b) => a[0] - b[0])
      .map(([k, count]) => ({ k, samples: count })),
  };
}
