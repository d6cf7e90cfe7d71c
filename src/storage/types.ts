// Record shapes and the storage API's signature. Free of DOM types on purpose: the Node-side
// type-check (tsconfig.node.json, which covers tests/) imports these for the browser tests.
import type { Sample } from '../core/corpus/sample';
import type { CorpusShape } from '../core/corpus/shape';
import type { CorpusFormat } from '../core/corpus/source';
import type { SkillIndex } from '../core/graph/skillIndex';
import type { SampleReview } from '../core/review/reviewOutcome';

/** What the importer knows about a file before its rows are read. */
export interface CorpusMeta {
  /** Display name, editable by the user; defaults to the file name. */
  name: string;
  fileName: string;
  fileSize: number;
  format: CorpusFormat;
  /** Row shape as detected (or chosen) at import. */
  shape: CorpusShape;
  /** Column or field holding the skill tags; null for an untagged corpus. */
  tagField: string | null;
  /** Separator inside a tag cell that holds several tags (CSV); null when not applicable. */
  delimiter: string | null;
  /** Recognises the file when it is chosen again, to resume an interrupted import. */
  fingerprint?: FileFingerprint;
  /**
   * Set on a corpus whose tags a model wrote (a tagging run over an untagged corpus, saved as a
   * new corpus; `tagField` is null then): the source corpus, the run and the model.
   */
  taggedFrom?: TaggedFrom;
}

/** Besides `fileName` and `fileSize`: what tells the same file from another one. */
export interface FileFingerprint {
  /** The file's last modification, epoch milliseconds. */
  lastModified: number;
  /** SHA-256 of its first bytes (up to 64 KiB), in hex. */
  headSha256: string;
}

/** How far an import got: where reading was when the last stored batch was handed over. */
export interface ImportCheckpoint {
  /** Data rows read, kept or rejected. */
  rowsRead: number;
  bytesRead: number;
}

export interface TaggedFrom {
  corpusId: string;
  /** The source corpus's name when the tagged corpus was made. */
  corpusName: string;
  runId: string;
  model: { id: string; engine: string };
}

/** `interrupted`: the import stopped with the page (reload, closed tab) and can be resumed. */
export type CorpusStatus = 'importing' | 'interrupted' | 'ready' | 'failed';

export interface CorpusStats {
  /** Data rows read from the file. */
  rows: number;
  /** Rows turned into samples (= samples stored). */
  kept: number;
  /** Samples with at least one skill tag. */
  tagged: number;
  /** Distinct skills. */
  skills: number;
  /** Number of samples per tag count: `{"0": 12, "1": 340, "2": 51}`. */
  tagsPerSample: Record<string, number>;
}

export interface RejectedRow {
  /** 1-based line (JSONL, CSV) or row (JSON array, Parquet) number in the file. */
  line: number;
  reason: string;
}

export interface CorpusRecord extends CorpusMeta {
  id: string;
  /** Epoch milliseconds. */
  importedAt: number;
  status: CorpusStatus;
  /**
   * Samples stored so far. Updated in the same transaction as each batch, so it always equals
   * the samples in the database, also after an import that stopped half-way.
   */
  storedSamples: number;
  /** Where reading was when the last batch was stored (in the same transaction); none before. */
  checkpoint?: ImportCheckpoint;
  /** Final figures; null until the import has finished. */
  stats: CorpusStats | null;
  /**
   * SHA-256 of the whole imported file, in hex, hashed as the import read it; absent for corpora
   * imported before it was kept, and for corpora a model tagged.
   */
  fileSha256?: string;
  /** The first rejected rows (the importer decides how many it keeps). */
  rejected: RejectedRow[];
  /** All rejected rows, including those not listed in `rejected`. */
  rejectedTotal: number;
  /** Why the import failed; only when status is `failed`. */
  error?: string;
}

/** A sample as stored: the imported sample plus the fields that key and index it. */
export interface StoredSample extends Sample {
  corpusId: string;
  /** 0-based position in import order within the corpus (what `iterateSamples` follows). */
  seq: number;
}

/**
 * A run of one corpus's samples in import order, stored as one record (schema.ts): the samples at
 * positions `first`, `first + 1`, … as imported, without `corpusId` and `seq`.
 */
export interface SampleChunk {
  corpusId: string;
  first: number;
  samples: Sample[];
}

/**
 * The id hashes (src/core/corpus/sampleIdTable.ts) of one chunk's samples, in the same order,
 * under the chunk's key: what finds a sample by id (schema.ts).
 */
export interface SampleIdHashes {
  corpusId: string;
  first: number;
  hashes: Float64Array;
}

/** A corpus's skill index (src/core/graph/skillIndex.ts), stored under the corpus id. */
export interface SkillIndexRecord extends SkillIndex {
  corpusId: string;
}

export interface SkillRecord {
  corpusId: string;
  name: string;
  /** Samples of the corpus tagged with this skill. */
  count: number;
}

/**
 * The part of a derived record (graph, taxonomy, combination set, synthesis run) that the
 * storage layer relies on: its id and the corpus it was derived from, so that deleting the
 * corpus deletes it too. The steps that produce these records define the remaining fields.
 */
export interface CorpusOwnedRecord {
  id: string;
  corpusId: string;
  [field: string]: unknown;
}

export interface GeneratedSampleRecord extends CorpusOwnedRecord {
  runId: string;
}

/** A person's review of one generated sample (reviewStore.ts), keyed by the sample's id. */
export interface ReviewRecord extends SampleReview {
  sampleId: string;
  corpusId: string;
  runId: string;
  /** Epoch milliseconds. */
  updatedAt: number;
}

export interface StorageEstimate {
  usage: number;
  quota: number;
}

/** A connection problem the user has to act on (shown by the UI; logged when nobody listens). */
export interface StorageNotice {
  kind: 'blocked' | 'closed-for-upgrade' | 'terminated';
  message: string;
}
