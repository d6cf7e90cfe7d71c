// The IndexedDB schema of STEPS Studio: one database, its version, and the typed store layout.
//
// Key design:
// - `samples` and `skills` are keyed by `[corpusId, …]`. Sample ids are unique only within a
//   corpus, so the corpus id must be part of the key; and with the corpus id first, all records
//   of one corpus form one contiguous key range (`corpusKeyRange`). That range serves counting,
//   listing and cascading deletion (a single `delete(range)` request), so these two stores need
//   no separate `byCorpus` index.
// - `samples.byCorpusSkill` is a multiEntry index on the derived field `corpusSkills`
//   (`corpusId + "\0" + skill` per tag). IndexedDB cannot make a compound key path multiEntry,
//   and a multiEntry index on plain `skills` would make "samples of skill S in corpus C" scan
//   the S-samples of every corpus. The derived key answers it (and counts it) by exact lookup.
// - `samples.byCorpusOrder` on `[corpusId, seq]` gives import order for paging through a corpus
//   (`iterateSamples`); the primary key would order by sample id ("row-1", "row-10", …).
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
  SkillRecord,
  StoredSample,
} from './types';

export const DB_NAME = 'steps-studio';
/** Bump together with a new entry in `migrations` (db.ts). */
export const DB_VERSION = 4;

export interface StudioSchema extends DBSchema {
  corpora: { key: string; value: CorpusRecord };
  samples: {
    key: [string, string];
    value: StoredSample;
    indexes: { byCorpusOrder: [string, number]; byCorpusSkill: string };
  };
  skills: { key: [string, string]; value: SkillRecord };
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

/** Key of the `byCorpusSkill` index. Corpus ids never contain "\0", so the split is unambiguous. */
export function corpusSkillKey(corpusId: string, skill: string): string {
  return `${corpusId}\u0000${skill}`;
}

/**
 * All `[corpusId, string]` keys of one corpus: `[corpusId]` sorts before them (a prefix sorts
 * first) and `[corpusId, []]` after them (arrays sort after strings).
 */
export function corpusKeyRange(corpusId: string): IDBKeyRange {
  return IDBKeyRange.bound([corpusId], [corpusId, []]);
}
