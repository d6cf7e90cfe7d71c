import { mulberry32 } from '../random/mulberry32';

/**
 * Curriculum over k (STEPS): each epoch draws a fixed number of samples, split over the k values
 * by that epoch's weights, with more small-k samples early and more large-k samples late.
 */
export interface CurriculumOptions {
  epochs: number;
  samplesPerEpoch: number;
  /** Distinct positive integers, in the order `weights` rows use. */
  ks: number[];
  /** Per epoch, per k (same order as `ks`): non-negative, each row with a positive sum. */
  weights?: number[][];
  seed: number;
  /** Slot order within an epoch: seeded shuffle (default) or ascending k. */
  order?: 'shuffled' | 'ascending';
}

export interface CurriculumEpoch {
  /** Samples per k, parallel to `ks`; sums to samplesPerEpoch. */
  counts: number[];
  /** The k of each of the epoch's slots, in training order. */
  slots: number[];
}

export interface CurriculumSchedule {
  ks: number[];
  weights: number[][];
  epochs: CurriculumEpoch[];
}

/**
 * The default weights: a linear ramp. With K values of k (index j from 0, smallest first) and
 * t = epoch / (epochs - 1) (0.5 for a single epoch), weight = (1 - t)(K - j) + t(j + 1): the first
 * epoch weighs k by K, K-1, …, 1, the last by 1, 2, …, K, epochs between are interpolated.
 */
export function defaultCurriculumWeights(epochs: number, kCount: number): number[][] {
  return Array.from({ length: epochs }, (_, epoch) => {
    const t = epochs === 1 ? 0.5 : epoch / (epochs - 1);
    return Array.from({ length: kCount }, (_, j) => (1 - t) * (kCount - j) + t * (j + 1));
  });
}

/**
 * Splits `total` by `weights` with the largest-remainder method: floors of the exact quotas, then
 * one more to the largest fractional parts (the earlier k on ties), so counts sum to `total`.
 */
export function largestRemainder(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (w / sum) * total);
  const counts = quotas.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = quotas
    .map((q, j) => ({ j, remainder: q - Math.floor(q) }))
    .sort((a, b) => b.remainder - a.remainder || a.j - b.j);
  for (const { j } of byRemainder) {
    if (left === 0) break;
    counts[j]++;
    left--;
  }
  return counts;
}

function checkOptions(options: CurriculumOptions): void {
  const { epochs, samplesPerEpoch, ks, weights } = options;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new Error(`epochs: must be a positive integer, got ${epochs}`);
  }
  if (!Number.isInteger(samplesPerEpoch) || samplesPerEpoch < 0) {
    throw new Error(`samplesPerEpoch: must be a non-negative integer, got ${samplesPerEpoch}`);
  }
  if (ks.length === 0) throw new Error('ks: at least one k is needed');
  ks.forEach((k, j) => {
    if (!Number.isInteger(k) || k < 1) {
      throw new Error(`ks[${j}]: must be a positive integer, got ${k}`);
    }
    if (ks.indexOf(k) !== j) throw new Error(`ks[${j}]: k = ${k} appears twice`);
  });
  if (weights === undefined) return;
  if (weights.length !== epochs) {
    throw new Error(`weights: needs one row per epoch (${epochs}), got ${weights.length}`);
  }
  weights.forEach((row, epoch) => {
    if (row.length !== ks.length) {
      throw new Error(
        `weights[${epoch}]: needs one weight per k (${ks.length}), got ${row.length}`,
      );
    }
    row.forEach((w, j) => {
      if (!Number.isFinite(w) || w < 0) {
        throw new Error(
          `weights[${epoch}][${j}] (k = ${ks[j]}): must be a finite number >= 0, got ${w}`,
        );
      }
    });
    if (row.every((w) => w === 0)) {
      throw new Error(`weights[${epoch}]: all weights are 0; at least one must be positive`);
    }
  });
}

/** Exact counts per epoch and k, and a deterministic slot order for a seed. */
export function curriculumSchedule(options: CurriculumOptions): CurriculumSchedule {
  checkOptions(options);
  const { epochs, samplesPerEpoch, ks, seed } = options;
  const weights = options.weights ?? defaultCurriculumWeights(epochs, ks.length);
  const random = mulberry32(seed);
  return {
    ks: [...ks],
    weights: weights.map((row) => [...row]),
    epochs: weights.map((row) => {
      const counts = largestRemainder(row, samplesPerEpoch);
      const slots = ks.flatMap((k, j) => Array<number>(counts[j]).fill(k));
      if (options.order === 'ascending') {
        slots.sort((a, b) => a - b);
      } else {
        for (let i = slots.length - 1; i > 0; i--) {
          const r = Math.floor(random() * (i + 1));
          [slots[i], slots[r]] = [slots[r], slots[i]];
        }
      }
      return { counts, slots };
    }),
  };
}
