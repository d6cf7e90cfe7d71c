// Reading a corpus's runs for the Dataset step: refs of their samples (sampleRefs.ts), never
// the conversations, which stay in IndexedDB (storedSamples.ts reads them).
import type { RecordedDiscardReason } from '../../core/synthesis/discardReason';
import { listReviews } from '../../storage/reviewStore';
import { attemptBatches, listRuns } from '../../storage/synthesisStore';
import type { ReviewRecord } from '../../storage/types';
import {
  getCombinationSet,
  type CombinationSetRecord,
  type TaxonomySummary,
} from '../../storage/taxonomyStore';
import { exploreBridge } from '../../../workers/bridges';
import { combinationSetIdsOf, type LoadedRun } from './cardInput';
import type { SampleRef } from './sampleRefs';

/** Attempts read per IndexedDB request while the runs are counted. */
const BATCH = 1000;

export interface LoadedDataset {
  /** Newest first. */
  runs: LoadedRun[];
  taxonomies: TaxonomySummary[];
  combinationSets: CombinationSetRecord[];
  /** The Review step's verdicts and edits, by sample id. */
  reviews: Map<string, ReviewRecord>;
}

/** A run's attempts read in batches into refs of its valid samples and its discard reasons. */
async function loadRun(record: LoadedRun['record']): Promise<LoadedRun> {
  let attempts = 0;
  const samples: SampleRef[] = [];
  const discardReasons: (RecordedDiscardReason | null)[] = [];
  for await (const batch of attemptBatches(record.id, BATCH)) {
    attempts += batch.length;
    for (const attempt of batch) {
      const { sample } = attempt;
      if (attempt.status === 'valid' && sample) {
        samples.push({
          id: sample.id,
          runId: record.id,
          index: attempt.index,
          k: sample.k,
          usage: sample.usage,
        });
      } else discardReasons.push(attempt.reason);
    }
  }
  return { record, attempts, samples, discardReasons };
}

/**
 * The corpus's runs with refs of their samples, and the taxonomies (as summaries: the explore
 * worker reads the records, and the trees, a million entries a level, stay there) and searches
 * they used.
 */
export async function loadDataset(corpusId: string): Promise<LoadedDataset> {
  const records = await listRuns(corpusId);
  const runs = await Promise.all(records.map(loadRun));
  const taxonomyIds = [...new Set(records.map((run) => run.taxonomyId))];
  const setIds = [...new Set(records.flatMap(combinationSetIdsOf))];
  const [taxonomies, sets, reviews] = await Promise.all([
    exploreBridge.call('summaries', { corpusId }),
    Promise.all(setIds.map((id) => getCombinationSet(id))),
    listReviews(corpusId),
  ]);
  return {
    runs,
    taxonomies: taxonomyIds.flatMap((id) => taxonomies.filter((t) => t.id === id)),
    combinationSets: sets.filter((s) => s !== undefined),
    reviews: new Map(reviews.map((review) => [review.sampleId, review])),
  };
}
