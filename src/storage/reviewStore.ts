// Reviews of generated samples (a verdict and edited versions, one record per sample), and the
// samples a dataset export writes once the reviews are applied. The generated originals in
// `generatedSamples` are never changed: an edit is stored here as a new version beside them.
import { reviewedSamples, type ReviewSummary } from '../core/review/reviewOutcome';
import type { GeneratedSample } from '../core/synthesis/generatedSample';
import { openStudioDb } from './db';
import { StorageFullError, isQuotaError } from './errors';
import { listAttempts } from './synthesisStore';
import type { ReviewRecord } from './types';

/** Every review of the corpus's generated samples. */
export async function listReviews(corpusId: string): Promise<ReviewRecord[]> {
  const db = await openStudioDb();
  return db.getAllFromIndex('reviews', 'byCorpus', corpusId);
}

/** Stores the reviews in one transaction (a bulk action is stored whole or not at all). */
export async function saveReviews(records: readonly ReviewRecord[]): Promise<void> {
  const db = await openStudioDb();
  const tx = db.transaction('reviews', 'readwrite');
  try {
    await Promise.all([...records.map((record) => tx.store.put(record)), tx.done]);
  } catch (error) {
    if (isQuotaError(error)) {
      throw new StorageFullError(`${records.length} reviews could not be saved`, { cause: error });
    }
    throw error;
  }
}

/** The run's valid samples, in the order they were made. */
export async function runSamples(runId: string): Promise<GeneratedSample[]> {
  const attempts = await listAttempts(runId);
  return attempts.flatMap((attempt) =>
    attempt.status === 'valid' && attempt.sample ? [attempt.sample] : [],
  );
}

/**
 * What a dataset export of these runs writes: their samples with the reviews applied (rejected
 * left out, edited as edited, accepted and unreviewed as generated) and the review's counts.
 */
export async function samplesForExport(
  corpusId: string,
  runIds: readonly string[],
): Promise<{ samples: GeneratedSample[]; review: ReviewSummary }> {
  const [perRun, reviews] = await Promise.all([
    Promise.all(runIds.map((runId) => runSamples(runId))),
    listReviews(corpusId),
  ]);
  const byId = new Map(reviews.map((review) => [review.sampleId, review]));
  return reviewedSamples(perRun.flat(), (id) => byId.get(id));
}
