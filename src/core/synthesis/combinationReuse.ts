/**
 * When fewer distinct combinations of a k exist than samples of that k are wanted, a synthesis
 * run visits each combination more than once (cycling through them in its seeded order, each
 * visit with new examples and a new seed). The app says so before a run starts and beside the
 * run, and the dataset card records it.
 */
export interface CombinationReuse {
  k: number;
  wanted: number;
  /** Distinct combinations of this k. */
  combinations: number;
  /** Visits of each combination when every visit keeps its sample: the fewest and the most. */
  fewestUses: number;
  mostUses: number;
}

/** Combinations per k (a combination's k is its number of skills). */
export function combinationsPerK(combinations: readonly { skills: readonly string[] }[]) {
  const counts = new Map<number, number>();
  for (const { skills } of combinations)
    counts.set(skills.length, (counts.get(skills.length) ?? 0) + 1);
  return counts;
}

/**
 * The ks, smallest first, whose samples wanted outnumber their distinct combinations. A k
 * without combinations is left out: a run gives it up rather than reusing anything.
 */
export function combinationReuse(
  wanted: ReadonlyMap<number, number>,
  combinations: ReadonlyMap<number, number>,
): CombinationReuse[] {
  return [...wanted]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([k, samples]) => {
      const distinct = combinations.get(k) ?? 0;
      if (distinct === 0 || samples <= distinct) return [];
      return [
        {
          k,
          wanted: samples,
          combinations: distinct,
          fewestUses: Math.floor(samples / distinct),
          mostUses: Math.ceil(samples / distinct),
        },
      ];
    });
}

export function describeReuse(reuse: CombinationReuse): string {
  const uses =
    reuse.fewestUses === reuse.mostUses
      ? `${reuse.mostUses} times`
      : `${reuse.fewestUses} or ${reuse.mostUses} times`;
  const distinct = `${reuse.combinations} distinct combination${reuse.combinations === 1 ? '' : 's'}`;
  return `k = ${reuse.k}: ${reuse.wanted} samples wanted from ${distinct}, so each is used ${uses} (more when attempts fail)`;
}
