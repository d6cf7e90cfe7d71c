// Reading a corpus's runs for the Dataset step, and the plain data work on their samples.
import type { CurriculumOrder } from '../../core/export/curriculumOrder';
import type { RecordedDiscardReason } from '../../core/synthesis/discardReason';
import type { GeneratedSample } from '../../core/synthesis/generatedSample';
import { listReviews } from '../../storage/reviewStore';
import { listAttempts, listRuns } from '../../storage/synthesisStore';
import type { ReviewRecord } from '../../storage/types';
import {
  getCombinationSet,
  getTaxonomy,
  type CombinationSetRecord,
  type TaxonomyRecord,
} from '../../storage/taxonomyStore';
import { combinationSetIdsOf, type LoadedRun } from './cardInput';

export interface LoadedDataset {
  /** Newest first. */
  runs: LoadedRun[];
  taxonomies: TaxonomyRecord[];
  combinationSets: CombinationSetRecord[];
  /** The Review step's verdicts and edits, by sample id. */
  reviews: Map<string, ReviewRecord>;
}

/** The corpus's runs with their attempts, and the taxonomies and searches they used. */
export async function loadDataset(corpusId: string): Promise<LoadedDataset> {
  const records = await listRuns(corpusId);
  const runs = await Promise.all(
    records.map(async (record): Promise<LoadedRun> => {
      const attempts = await listAttempts(record.id);
      const samples: GeneratedSample[] = [];
      const discardReasons: (RecordedDiscardReason | null)[] = [];
      for (const attempt of attempts) {
        if (attempt.status === 'valid' && attempt.sample) samples.push(attempt.sample);
        else discardReasons.push(attempt.reason);
      }
      return { record, attempts: attempts.length, samples, discardReasons };
    }),
  );
  const taxonomyIds = [...new Set(records.map((run) => run.taxonomyId))];
  const setIds = [...new Set(records.flatMap(combinationSetIdsOf))];
  const [taxonomies, sets, reviews] = await Promise.all([
    Promise.all(taxonomyIds.map((id) => getTaxonomy(id))),
    Promise.all(setIds.map((id) => getCombinationSet(id))),
    listReviews(corpusId),
  ]);
  return {
    runs,
    taxonomies: taxonomies.filter((t) => t !== undefined),
    combinationSets: sets.filter((s) => s !== undefined),
    reviews: new Map(reviews.map((review) => [review.sampleId, review])),
  };
}

/** Samples per k, smallest k first. */
export function samplesPerK(samples: readonly GeneratedSample[]): { k: number; samples: number }[] {
  const counts = new Map<number, number>();
  for (const sample of samples) counts.set(sample.k, (counts.get(sample.k) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([k, count]) => ({ k, samples: count }));
}

/** The samples as the curriculum orders them: epoch 1 first, repeats included. */
export function inCurriculumOrder(
  samples: readonly GeneratedSample[],
  order: CurriculumOrder,
): GeneratedSample[] {
  const byId = new Map(samples.map((sample) => [sample.id, sample]));
  return order.epochs.flatMap((epoch) => epoch.ids.map((id) => byId.get(id)!));
}
