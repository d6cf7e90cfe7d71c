import type { ChatMessage } from '../corpus/sample';
import { fnv1a64 } from '../hash';
import {
  createMinHasher,
  LshIndex,
  normaliseText,
  type MinHasher,
  type MinHashOptions,
} from './minhash';

/**
 * Quality gates on generated samples: exact and near-duplicate removal among the generated
 * samples, and novelty against the seed corpus. Both work one sample at a time.
 */
export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.8;
export const DEFAULT_NOVELTY_THRESHOLD = 0.8;

/** The text a sample is compared by: its contents (system message included) joined by newlines. */
export function conversationText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => m.content).join('\n');
}

export type DedupDecision =
  | { duplicate: false }
  | { duplicate: 'exact'; of: string }
  | { duplicate: 'near'; of: string; similarity: number };

export interface QualityOptions extends MinHashOptions {
  /** Estimated Jaccard at or above which a sample counts as a near duplicate (or not novel). */
  threshold?: number;
  /** LSH bands; must divide `permutations`. Default 32. */
  bands?: number;
}

function checkThreshold(threshold: number): void {
  if (!(threshold > 0 && threshold <= 1)) {
    throw new Error(`threshold: must be in (0, 1], got ${threshold}`);
  }
}

/**
 * Generated samples seen so far. `add` returns whether a sample duplicates an earlier kept one:
 * `exact` when the normalised texts (normaliseText) are equal, else `near` when the estimated
 * Jaccard of the word shingles is at or above the threshold (the most similar earlier sample,
 * the earliest on ties). Only samples that are not duplicates are kept for later comparisons.
 */
export class DedupIndex {
  readonly threshold: number;
  readonly hasher: MinHasher;
  private readonly exact = new Map<string, string>();
  private readonly lsh: LshIndex;
  private readonly ids: string[] = [];

  constructor(options: QualityOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD;
    checkThreshold(this.threshold);
    this.hasher = createMinHasher(options);
    this.lsh = new LshIndex(this.hasher.options.permutations, options.bands);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Whether `text` duplicates a kept sample, without keeping it. */
  check(text: string): DedupDecision {
    return this.#decide(text).decision;
  }

  /** Keeps the sample unless it duplicates a kept one; returns the decision either way. */
  add(id: string, text: string): DedupDecision {
    const { decision, key, signature } = this.#decide(text);
    if (decision.duplicate) return decision;
    this.exact.set(key, id);
    this.lsh.add(signature);
    this.ids.push(id);
    return decision;
  }

  #decide(text: string): { decision: DedupDecision; key: string; signature: Uint32Array } {
    const key = fnv1a64(normaliseText(text));
    const signature = this.hasher.signature(text);
    const same = this.exact.get(key);
    if (same !== undefined) return { decision: { duplicate: 'exact', of: same }, key, signature };
    const nearest = this.lsh.nearest(signature);
    if (nearest && nearest.similarity >= this.threshold) {
      return {
        decision: {
          duplicate: 'near',
          of: this.ids[nearest.index],
          similarity: nearest.similarity,
        },
        key,
        signature,
      };
    }
    return { decision: { duplicate: false }, key, signature };
  }
}

export interface NoveltyResult {
  /** Highest estimated Jaccard to a seed sample among the LSH candidates; 0 without candidates. */
  maxSimilarity: number;
  nearestSeedId: string | null;
  /** maxSimilarity is below the threshold. */
  novel: boolean;
}

export interface NoveltyIndex {
  readonly threshold: number;
  readonly hasher: MinHasher;
  check(text: string): NoveltyResult;
  checkSignature(signature: Uint32Array): NoveltyResult;
}

/**
 * Novelty of generated samples against the seed corpus. The maximum is taken over the LSH
 * candidates only (seed samples sharing a band with it): a seed at similarity 0.6 is a candidate
 * with chance 0.99, at 0.8 almost surely, but many low similarities are missed and reported as 0,
 * so the value serves the flag, it is not a distance. Seed signatures must come from
 * `createMinHasher(options)` with the same options (they can be computed once and stored).
 */
export function noveltyAgainst(
  seedSignatures: Iterable<{ id: string; signature: Uint32Array }>,
  options: QualityOptions = {},
): NoveltyIndex {
  const threshold = options.threshold ?? DEFAULT_NOVELTY_THRESHOLD;
  checkThreshold(threshold);
  const hasher = createMinHasher(options);
  const lsh = new LshIndex(hasher.options.permutations, options.bands);
  const ids: string[] = [];
  for (const seed of seedSignatures) {
    if (seed.signature.length !== lsh.permutations) {
      throw new Error(
        `seed ${seed.id}: signature has ${seed.signature.length} positions, expected ${lsh.permutations}`,
      );
    }
    lsh.add(seed.signature);
    ids.push(seed.id);
  }
  const checkSignature = (signature: Uint32Array): NoveltyResult => {
    const nearest = lsh.nearest(signature);
    const maxSimilarity = nearest?.similarity ?? 0;
    return {
      maxSimilarity,
      nearestSeedId: nearest ? ids[nearest.index] : null,
      novel: maxSimilarity < threshold,
    };
  };
  return {
    threshold,
    hasher,
    checkSignature,
    check: (text) => checkSignature(hasher.signature(text)),
  };
}
