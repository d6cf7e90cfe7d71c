// The IndexedDB schema of STEPS Studio: one database, its version, and the typed store layout.
//
// Key design:
// - `samples` is keyed by `[corpusId, id]`. Sample ids are unique only within a corpus, so the
//   corpus id must be part of the key; and with the corpus id first, all samples of one corpus
//   form one contiguous key range (`corpusKeyRange`). That range serves counting, listing and
//   cascading deletion (a single `delete(range)` request), so no separate `byCorpus` index.
// - `samples.byCorpusOrder` on `[corpusId, seq]` gives import order for paging through a corpus
//   (`iterateSamples`); the primary key would order by sample id ("row-1", "row-10", …). It is the
//   samples' only index: each index entry is work for every stored sample.
// - `skillIndexes` holds one record per corpus, keyed by the corpus id: every sample's skills as
//   ids, in typed arrays (src/core/graph/skillIndex.ts). Skill counts, the skill graph and the
//   samples of a skill are answered from it, not from the samples (skillIndexStore.ts). It
//   replaced version 4's `skills` store and `samples.byCorpusSkill` index, which cost the import
//   a read and a write per skill and an index entry per tag.
// - Derived stores (graphs … taggingAttempts) are keyed by their own generated `id` and carry a
//   `byCorpus` index so deleting a corpus finds them; `generatedSamples` and `taggingAttempts`
//   also have `byRun`. `reviews` is keyed by the generated sample's id (one review per sample)
//   and indexed like them.
// - `settings` uses out-of-line string keys (`put(value, key)`).
import type { DBSchema } from 'idb';
import type {
  CorpusOwnedRecord,
  CorpusRecord,
  GeneratedSampleRecord,
  ReviewRecord,
  SkillIndexRecord,
  StoredSample,
} from './types';

export const DB_NAME = 'steps-studio';
/** Bump together with a new entry in `migrations` (db.ts). */
export const DB_VERSION = 5;

export interface StudioSchema extends DBSchema {
  corpora: { key: string; value: CorpusRecord };
  samples: {
    key: [string, string];
    value: StoredSample;
    indexes: { byCorpusOrder: [string, number] };
  };
  skillIndexes: { key: string; value: SkillIndexRecord };
  settings: { key: string; value: unknown };
  graphs: { key: string; value: CorpusOwnedRecord; indexes: { byCorpus: string } };
  taxonomies: { key: string; value: CorpusOwnedRecord; indexes: { byCorpus: string } };
  combinationSets: { key: string; value: CorpusOwnedRecord; indexes: { byCorpus: string } };
  synthesisRuns: { key: string; value: CorpusOwnedRecord; indexes: { byCorpus: string } };
  generatedSamples: {
    key: string;
    value: GeneratedSampleRecord;
    indexes: { byCorpus: string; byRun: string };
  };
  taggingRuns: { key: string; value: CorpusOwnedRecord; indexes: { byCorpus: string } };
  taggingAttempts: {
    key: string;
    value: CorpusOwnedRecord & { runId: string };
    indexes: { byCorpus: string; byRun: string };
  };
  reviews: { key: string; value: ReviewRecord; indexes: { byCorpus: string; byRun: string } };
}

/** Stores whose records are derived from a corpus and found through their `byCorpus` index. */
export const derivedStores = [
  'graphs',
  'taxonomies',
  'combinationSets',
  'synthesisRuns',
  'generatedSamples',
  'taggingRuns',
  'taggingAttempts',
  'reviews',
] as const;

/**
 * All `[corpusId, string]` keys of one corpus: `[corpusId]` sorts before them (a prefix sorts
 * first) and `[corpusId, []]` after them (arrays sort after strings).
 */
export function corpusKeyRange(corpusId: string): IDBKeyRange {
  return IDBKeyRange.bound([corpusId], [corpusId, []]);
}
