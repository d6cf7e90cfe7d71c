// The Dataset step's samples read back from IndexedDB when they are needed: a page to show, and
// every file of an export, a batch at a time, so that no more than a batch of conversations is
// ever held (the step itself keeps only SampleRefs).
import type { CurriculumOrder } from '../../core/export/curriculumOrder';
import type { SampleSource } from '../../core/export/sampleSource';
import { reviewedSamples } from '../../core/review/reviewOutcome';
import type { GeneratedSample } from '../../core/synthesis/generatedSample';
import { attemptBatches, attemptKey, getAttempts } from '../../storage/synthesisStore';
import type { ReviewLookup, SampleRef } from './sampleRefs';

/** Attempts read per IndexedDB request; the export writes its files in batches of this size too. */
const BATCH = 1000;

/** What to export: the included runs' samples left after the review, and the review itself. */
export interface StoredSelection {
  /** The included runs, in the order their samples are exported. */
  runIds: readonly string[];
  /** Their valid samples that are not rejected, in that order (`reviewedRefs`). */
  samples: readonly SampleRef[];
  reviewOf: ReviewLookup;
}

/** The refs' samples as reviewed (edits applied), in their order; one transaction. */
export async function readSamples(
  refs: readonly SampleRef[],
  reviewOf: ReviewLookup,
): Promise<GeneratedSample[]> {
  const attempts = await getAttempts(refs.map((ref) => attemptKey(ref.runId, ref.index)));
  const samples = attempts.map((attempt, i) => {
    if (!attempt?.sample) {
      throw new Error(`sample ${refs[i].id} is no longer stored: open the Dataset step again`);
    }
    return attempt.sample;
  });
  return reviewedSamples(samples, reviewOf).samples;
}

/**
 * The selection as an export reads it, once per file: run by run in the order the attempts were
 * made, or in the curriculum's order (every epoch's ids, repeats included). Only the selection's
 * samples are read, so attempts a running run stores meanwhile are not exported, and reviews are
 * applied exactly as `reviewedSamples` applies them (rejected left out, the latest edit in).
 */
export function storedSampleSource(
  selection: StoredSelection,
  order: CurriculumOrder | null,
): SampleSource {
  const { runIds, samples, reviewOf } = selection;
  if (order) {
    return {
      count: order.epochs.reduce((sum, epoch) => sum + epoch.ids.length, 0),
      read: async function* () {
        const refs = new Map(samples.map((ref) => [ref.id, ref]));
        for (const epoch of order.epochs) {
          for (let start = 0; start < epoch.ids.length; start += BATCH) {
            const ids = epoch.ids.slice(start, start + BATCH);
            yield* await readSamples(
              ids.map((id) => {
                const ref = refs.get(id);
                if (!ref) throw new Error(`the curriculum names sample ${id}, which is not chosen`);
                return ref;
              }),
              reviewOf,
            );
          }
        }
      },
    };
  }
  return {
    count: samples.length,
    read: async function* () {
      const chosen = new Set(samples.map((ref) => ref.id));
      for (const runId of runIds) {
        for await (const attempts of attemptBatches(runId, BATCH)) {
          const valid = attempts.flatMap((attempt) =>
            attempt.status === 'valid' && attempt.sample && chosen.has(attempt.sample.id)
              ? [attempt.sample]
              : [],
          );
          yield* reviewedSamples(valid, reviewOf).samples;
        }
      }
    },
  };
}
