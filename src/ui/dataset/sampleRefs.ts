// What the Dataset step keeps of each valid sample, and the counting and review work on it: the
// conversations stay in IndexedDB (storedSamples.ts reads them when shown or exported).
import {
  reviewState,
  summarise,
  type ReviewSummary,
  type SampleReview,
} from '../../core/review/reviewOutcome';
import type { GeneratedSample } from '../../core/synthesis/generatedSample';

/**
 * A valid sample without its messages: enough to count, plan and find it again (its attempt's
 * key is `attemptKey(runId, index)`, src/storage/runStore.ts).
 */
export interface SampleRef {
  id: string;
  runId: string;
  /** The attempt's index in its run. */
  index: number;
  k: number;
  usage: GeneratedSample['usage'];
}

export type ReviewLookup = (sampleId: string) => SampleReview | undefined;

/**
 * The refs an export writes, in their order, and the review's counts: what `reviewedSamples`
 * gives for the samples themselves (an edit changes a sample's text, never its id or k).
 */
export function reviewedRefs(
  refs: readonly SampleRef[],
  reviewOf: ReviewLookup,
): { samples: SampleRef[]; review: ReviewSummary } {
  return {
    samples: refs.filter((ref) => reviewState(reviewOf(ref.id)) !== 'rejected'),
    review: summarise(refs, reviewOf),
  };
}

/** Samples per k, smallest k first. */
export function samplesPerK(samples: readonly { k: number }[]): { k: number; samples: number }[] {
  const counts = new Map<number, number>();
  for (const sample of samples) counts.set(sample.k, (counts.get(sample.k) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([k, count]) => ({ k, samples: count }));
}
