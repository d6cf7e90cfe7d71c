// The IndexedDB schema of STEPS Studio: one database, its version, and the typed store layout.
//
// Key design:
// - Samples are stored in chunks (`sampleChunks`, sampleChunks.ts): each record holds up to
//   `CHUNK_SAMPLES` consecutive samples of one corpus, in import order. IndexedDB's cost is mostly
//   per record and per index entry, so one record per sample made an import of 200k samples spend
//   most of its time in IndexedDB (about 30 s in Chromium); chunks of 500 store them in about 2 s.
//   A chunk never spans two `appendSamples` calls, so an import batch stays atomic.
// - `sampleChunks` is keyed by `[corpusId, first]` (the position, `seq`, of its first sample). With
//   the corpus id first, all chunks of one corpus form one contiguous key range
//   (`corpusKeyRange`), in import order: it serves reading a corpus in order, finding the chunk
//   that holds a position (the greatest `first` at or below it), and cascading deletion (a single
//   `delete(range)` request).
// - `sampleIdHashes` holds, under each chunk's key, the hashes of its sample ids
//   (src/core/corpus/sampleIdTable.ts), written in the chunk's transaction. A corpus's hashes, read
//   into one table, find a sample by id and refuse an id the corpus already holds (sampleIds.ts).
//   Until version 7 a unique multiEntry index on the chunks did this with one index entry per
//   sample; at 1.8M samples those entries cost the browser about 2.6 s of CPU per 100 MB
//   imported, a quarter of the import's whole cost, where a hash record per chunk costs next to
//   nothing (README.md, "Browser speed here").
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
  SampleChunk,
  SampleIdHashes,
  SkillIndexRecord,
} from './types';

export const DB_NAME = 'steps-studio';
/** Bump together with a new entry in `migrations` (db.ts). */
export const DB_VERSION = 7;

export interface StudioSchema extends DBSchema {
  corpora: { key: string; value: CorpusRecord };
  sampleChunks: { key: [string, number]; value: SampleChunk };
  sampleIdHashes: { key: [string, number]; value: SampleIdHashes };
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
 * All `[corpusId, number or string]` keys of one corpus: `[corpusId]` sorts before them (a prefix
 * sorts first) and `[corpusId, []]` after them (arrays sort after numbers and strings).
 */
export function corpusKeyRange(corpusId: string): IDBKeyRange {
  return IDBKeyRange.bound([corpusId], [corpusId, []]);
}
