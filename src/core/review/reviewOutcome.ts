// What a person's review makes of generated samples: each sample's state, the version that is
// exported, and the counts the dataset card reports.
import type { ChatMessage } from '../corpus/sample';
import type { GeneratedSample } from '../synthesis/generatedSample';

export type ReviewVerdict = 'accepted' | 'rejected';

/** One edited version of a sample's conversation; the generated original is never changed. */
export interface SampleEdit {
  messages: ChatMessage[];
  /** Epoch milliseconds. */
  editedAt: number;
}

/** The part of a stored review (storage/types.ts) that decides what is exported. */
export interface SampleReview {
  /** null: edited but not judged yet. */
  verdict: ReviewVerdict | null;
  /** Oldest first; the last one is the sample's current text. */
  edits: readonly SampleEdit[];
}

/**
 * Each sample is in exactly one state, so the four counts add up to the samples: a rejection
 * wins over an edit (the sample is left out either way), and an edit over an acceptance (what is
 * exported differs from what the model wrote).
 */
export type ReviewState = 'accepted' | 'rejected' | 'edited' | 'unreviewed';

export type ReviewSummary = Record<ReviewState, number>;

export function reviewState(review: SampleReview | undefined): ReviewState {
  if (review?.verdict === 'rejected') return 'rejected';
  if (review && review.edits.length > 0) return 'edited';
  return review?.verdict === 'accepted' ? 'accepted' : 'unreviewed';
}

/** The conversation as reviewed: the latest edit, else what the model wrote. */
export function currentMessages(
  sample: GeneratedSample,
  review: SampleReview | undefined,
): ChatMessage[] {
  return review?.edits.at(-1)?.messages ?? sample.messages;
}

export function emptySummary(): ReviewSummary {
  return { accepted: 0, rejected: 0, edited: 0, unreviewed: 0 };
}

export function summarise(
  samples: readonly Pick<GeneratedSample, 'id'>[],
  reviewOf: (sampleId: string) => SampleReview | undefined,
): ReviewSummary {
  const summary = emptySummary();
  for (const sample of samples) summary[reviewState(reviewOf(sample.id))]++;
  return summary;
}

/**
 * The samples to export, in their order: rejected ones left out, edited ones with their latest
 * edit as messages (the rest of the provenance unchanged); accepted and unreviewed as generated.
 */
export function reviewedSamples(
  samples: readonly GeneratedSample[],
  reviewOf: (sampleId: string) => SampleReview | undefined,
): { samples: GeneratedSample[]; review: ReviewSummary } {
  const kept: GeneratedSample[] = [];
  for (const sample of samples) {
    const review = reviewOf(sample.id);
    const state = reviewState(review);
    if (state === 'rejected') continue;
    kept.push(
      state === 'edited' ? { ...sample, messages: currentMessages(sample, review) } : sample,
    );
  }
  return { samples: kept, review: summarise(samples, reviewOf) };
}
