// Corpus operations for the import UI and the later steps: create, fill in batches, finish (with
// the corpus's skill index) or fail, read, delete with everything derived from the corpus.
//
// Running out of space: a write that does not fit in the quota rejects with `StorageFullError`
// and loses only its own transaction. An import that hits the quota (in `appendSamples` or
// `finishCorpus`) is then undone: its partial corpus is deleted, so storage holds exactly what it
// held before the import and other corpora are untouched. Keeping the partial corpus marked
// `failed` was the alternative, but on a full disk that mark is itself a write the browser
// refuses (Chromium rejects any write once usage is over quota), which would leave a corpus stuck
// in `importing`; deleting needs no quota, so the rollback succeeds, and it frees the space.
// Other failures (a repeated sample id, a parse error in the importer) keep the partial corpus:
// the importer calls `failCorpus` with the reason, which the corpus list then shows.
//
// An import cut off with its page (a reload, a closed tab) leaves its corpus `importing` with
// the samples of every batch stored so far and, with the last batch, how far reading had got
// (`checkpoint`). `interruptCorpus` marks it `interrupted`; `resumeCorpus` lets an import of the
// same file (same name, size, modification time and first bytes) go on with it.
import type { IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { Sample } from '../core/corpus/sample';
import { indexedSamples, type SkillIndex } from '../core/graph/skillIndex';
import { openStudioDb } from './db';
import { isQuotaError, StorageFullError } from './errors';
import { CHUNK_SAMPLES, chunksOf, storedSamplesOf } from './sampleChunks';
import { findSample, firstHeld, forgetIdTable, idHashesOf } from './sampleIds';
import { corpusKeyRange, derivedStores, type StudioSchema } from './schema';
import type {
  CorpusMeta,
  CorpusRecord,
  CorpusStats,
  FileFingerprint,
  ImportCheckpoint,
  RejectedRow,
  SampleChunk,
  StoredSample,
} from './types';
import { errorMessage } from '../core/errorMessage';

/** Runs a write; a full quota becomes a `StorageFullError` naming what could not be saved. */
async function write<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(`could not save ${what}`, { cause: error });
    throw error;
  }
}

function newCorpusId(): string {
  const random = crypto.getRandomValues(new Uint8Array(6));
  const hex = Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `corpus-${Date.now().toString(36)}-${hex}`;
}

/** Stores the corpus record (status `importing`, no samples yet) and returns it. */
export async function createCorpus(meta: CorpusMeta): Promise<CorpusRecord> {
  const record: CorpusRecord = {
    ...meta,
    id: newCorpusId(),
    importedAt: Date.now(),
    status: 'importing',
    storedSamples: 0,
    stats: null,
    rejected: [],
    rejectedTotal: 0,
  };
  const db = await openStudioDb();
  await write(`the corpus "${meta.name}"`, () => db.add('corpora', record));
  return record;
}

/**
 * Stores one batch of samples in one transaction: the batch is stored completely or not at all,
 * and with it `checkpoint`, how far the importer had read. Returns the corpus's sample count after
 * the batch. A sample id already present in the corpus, or twice in the batch, is an error. On a
 * full quota the import is undone (see the top of this file).
 *
 * `storedBefore`, the corpus's sample count before this batch when the caller knows it (the
 * importer does), lets the samples go to IndexedDB at once instead of after the corpus record is
 * read: the browser then copies a batch while it still writes the one before. A corpus holding
 * another count fails the batch.
 */
export async function appendSamples(
  corpusId: string,
  samples: readonly Sample[],
  checkpoint?: ImportCheckpoint,
  storedBefore?: number,
): Promise<number> {
  const db = await openStudioDb();
  // Relaxed: committed when the browser has the data, not after a flush to disk. The batch
  // stays atomic, so a crash loses whole batches at most, which resuming reads again.
  const tx = db.transaction(['corpora', 'sampleChunks', 'sampleIdHashes'], 'readwrite', {
    durability: 'relaxed',
  });
  const done = tx.done;
  done.catch(() => {}); // awaited below; this only keeps an early abort from being "unhandled"
  const corpusRequest = tx.objectStore('corpora').get(corpusId);
  // The request that failed first explains the abort; the requests after it only say "aborted".
  let firstFailure: unknown;
  const writes: Promise<unknown>[] = [];
  const stores = {
    hashes: tx.objectStore('sampleIdHashes'),
    chunks: tx.objectStore('sampleChunks'),
  };
  const addChunks = (first: number) => {
    for (const chunk of chunksOf(corpusId, first, samples)) {
      const added = Promise.all([
        addChunk(stores.chunks, chunk),
        stores.hashes.add(idHashesOf(chunk)),
      ]).catch((error: unknown) => {
        firstFailure ??= error;
      });
      writes.push(added);
    }
  };
  let corpus: CorpusRecord | undefined;
  const repeated = (sample: Sample) =>
    new Error(
      `Sample id "${sample.id}" (${sample.source}) occurs twice in corpus "${corpus?.name}"; ` +
        'sample ids must be unique within a corpus.',
    );
  try {
    if (storedBefore !== undefined) addChunks(storedBefore); // checked below, before the commit
    corpus = await importingCorpus(corpusRequest, corpusId);
    checkBatch(samples, repeated);
    if (storedBefore !== undefined && corpus.storedSamples !== storedBefore) {
      throw new Error(
        `Corpus "${corpus.name}" holds ${corpus.storedSamples} samples, not the ${storedBefore} this batch follows.`,
      );
    }
    // Only positions below this batch's: the transaction already sees its own chunks.
    const held = await firstHeld(stores, corpusId, samples, corpus.storedSamples);
    if (held) throw repeated(held);
    if (storedBefore === undefined) addChunks(corpus.storedSamples);
    const storedSamples = corpus.storedSamples + samples.length;
    const record: CorpusRecord = { ...corpus, storedSamples };
    if (checkpoint) record.checkpoint = { ...checkpoint };
    writes.push(tx.objectStore('corpora').put(record));
    await Promise.all(writes);
    await done;
    return storedSamples;
  } catch (error) {
    // A synchronous throw (e.g. a sample that cannot be cloned) leaves the transaction active;
    // committing it would store part of the batch.
    abortIfActive(tx);
    const cause = firstFailure ?? error;
    if (corpus === undefined) throw error; // no such corpus, or it is no longer importing
    if (isQuotaError(cause)) throw await abandonImport(corpus, cause);
    throw cause;
  }
}

/**
 * Throws for a sample whose id is not text, or repeats an id earlier in the batch (`firstHeld`
 * finds an id stored before).
 */
function checkBatch(samples: readonly Sample[], repeated: (sample: Sample) => Error): void {
  const ids = new Set<string>();
  for (const sample of samples) {
    // Text is all a sample id may be (and any text is a valid key).
    if (typeof sample.id !== 'string') {
      throw new Error(
        `Sample ${sample.source} cannot be stored: its id ${String(sample.id)} is not a valid key (not text).`,
      );
    }
    if (ids.has(sample.id)) throw repeated(sample);
    ids.add(sample.id);
  }
}

/**
 * `add` throws synchronously for a chunk it cannot take (a sample that cannot be cloned); that
 * error gets the place in the file of the sample that caused it.
 */
function addChunk(
  store: IDBPObjectStore<
    StudioSchema,
    ['corpora', 'sampleChunks', 'sampleIdHashes'],
    'sampleChunks',
    'readwrite'
  >,
  chunk: SampleChunk,
): Promise<unknown> {
  try {
    return store.add(chunk);
  } catch (error) {
    const culprit = chunk.samples.find((sample) => !isCloneable(sample));
    if (!culprit) throw error;
    const reason = errorMessage(error);
    throw new Error(`Sample ${culprit.source} cannot be stored: ${reason}`, { cause: error });
  }
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function abortIfActive(tx: IDBPTransaction<StudioSchema, StoreNames<StudioSchema>[], 'readwrite'>) {
  try {
    tx.abort();
  } catch {
    // InvalidStateError: the transaction has already finished or aborted.
  }
}

/** The corpus behind `request`, which must exist and be importing. */
async function importingCorpus(
  request: Promise<CorpusRecord | undefined>,
  corpusId: string,
): Promise<CorpusRecord> {
  const corpus = await request;
  if (!corpus) {
    throw new Error(`Corpus ${corpusId} does not exist (it may have been deleted meanwhile).`);
  }
  if (corpus.status !== 'importing') {
    throw new Error(`Corpus "${corpus.name}" is ${corpus.status}, no longer importing.`);
  }
  return corpus;
}

/** Deletes the partial corpus of an import that ran out of space; returns the error to throw. */
async function abandonImport(corpus: CorpusRecord, cause: unknown): Promise<StorageFullError> {
  const stopped = `importing "${corpus.name}" stopped after ${corpus.storedSamples} samples`;
  try {
    await deleteCorpus(corpus.id);
    return new StorageFullError(`${stopped} and was undone; nothing else changed`, { cause });
  } catch {
    return new StorageFullError(
      `${stopped}; its partial data could not be removed, delete it from the corpus list`,
      { cause },
    );
  }
}

/**
 * Marks an importing corpus `ready` with its final figures and, when the importer built it from
 * every stored sample, its skill index (in the same transaction; without one the index is built
 * from the samples when first needed). `stats.kept` must equal the samples appended: a mismatch
 * means the importer lost or repeated a batch. The file's SHA-256 is kept when the importer hashed
 * it.
 */
export async function finishCorpus(
  corpusId: string,
  stats: CorpusStats,
  rejected: readonly RejectedRow[],
  rejectedTotal = rejected.length,
  skillIndex?: SkillIndex,
  fileSha256?: string,
): Promise<CorpusRecord> {
  const db = await openStudioDb();
  const tx = db.transaction(['corpora', 'skillIndexes'], 'readwrite');
  const corpora = tx.objectStore('corpora');
  const corpus = await importingCorpus(corpora.get(corpusId), corpusId);
  if (stats.kept !== corpus.storedSamples) {
    throw new Error(
      `Corpus "${corpus.name}": the import reports ${stats.kept} kept samples but ` +
        `${corpus.storedSamples} were stored.`,
    );
  }
  if (skillIndex && indexedSamples(skillIndex) !== corpus.storedSamples) {
    throw new Error(
      `Corpus "${corpus.name}": the skill index holds ${indexedSamples(skillIndex)} samples ` +
        `but ${corpus.storedSamples} were stored.`,
    );
  }
  const finished: CorpusRecord = {
    ...corpus,
    status: 'ready',
    stats,
    rejected: [...rejected],
    rejectedTotal,
    ...(fileSha256 === undefined ? {} : { fileSha256 }),
  };
  try {
    const writes: Promise<unknown>[] = [corpora.put(finished)];
    if (skillIndex) writes.push(tx.objectStore('skillIndexes').put({ ...skillIndex, corpusId }));
    await Promise.all([...writes, tx.done]);
  } catch (error) {
    if (isQuotaError(error)) throw await abandonImport(corpus, error);
    throw error;
  }
  return finished;
}

/**
 * Marks an importing corpus `failed` with the reason, keeping the samples stored so far. Safe to
 * call after any import error: a corpus already failed keeps its first reason, and one that no
 * longer exists (deleted, or undone after a full quota) is left alone.
 */
export async function failCorpus(corpusId: string, error: string): Promise<void> {
  const db = await openStudioDb();
  const tx = db.transaction('corpora', 'readwrite');
  const corpus = await tx.store.get(corpusId);
  if (!corpus || corpus.status === 'failed') return;
  if (corpus.status === 'ready') {
    throw new Error(`Corpus "${corpus.name}" finished importing; it cannot fail afterwards.`);
  }
  await write(`the failure of "${corpus.name}"`, async () => {
    await tx.store.put({ ...corpus, status: 'failed', error });
    await tx.done;
  });
}

/**
 * Marks an import cut off with its page `interrupted` (the caller knows no importer holds it);
 * a corpus in any other state, or gone, is left alone.
 */
export async function interruptCorpus(corpusId: string): Promise<void> {
  const db = await openStudioDb();
  const tx = db.transaction('corpora', 'readwrite');
  const corpus = await tx.store.get(corpusId);
  if (!corpus || corpus.status !== 'importing') return;
  await write(`the interruption of "${corpus.name}"`, async () => {
    await tx.store.put({ ...corpus, status: 'interrupted' });
    await tx.done;
  });
}

/** Whether `corpus` was imported from the file with this name, size and fingerprint. */
export function isImportOf(
  corpus: CorpusRecord,
  file: { name: string; size: number },
  fingerprint: FileFingerprint,
): boolean {
  return (
    corpus.fileName === file.name &&
    corpus.fileSize === file.size &&
    corpus.fingerprint?.lastModified === fingerprint.lastModified &&
    corpus.fingerprint.headSha256 === fingerprint.headSha256
  );
}

/**
 * Sets an interrupted import of this file `importing` again and returns it, for the importer to
 * go on after its `storedSamples`. The caller holds the corpus's import lock, so a corpus still
 * marked `importing` is one whose importer died without anyone marking it.
 */
export async function resumeCorpus(
  corpusId: string,
  file: { name: string; size: number },
  fingerprint: FileFingerprint,
): Promise<CorpusRecord> {
  const db = await openStudioDb();
  const tx = db.transaction('corpora', 'readwrite');
  const corpus = await tx.store.get(corpusId);
  if (!corpus) {
    throw new Error(`Corpus ${corpusId} does not exist (it may have been deleted meanwhile).`);
  }
  if (corpus.status !== 'interrupted' && corpus.status !== 'importing') {
    throw new Error(`Corpus "${corpus.name}" is ${corpus.status}; there is no import to resume.`);
  }
  if (!isImportOf(corpus, file, fingerprint)) {
    throw new Error(
      `${file.name} is not the file "${corpus.name}" was being imported from (its size, date or first bytes differ); import it as a new corpus.`,
    );
  }
  const resumed: CorpusRecord = { ...corpus, status: 'importing' };
  await write(`the resumption of "${corpus.name}"`, async () => {
    await tx.store.put(resumed);
    await tx.done;
  });
  return resumed;
}

/** All corpora, most recently imported first. */
export async function listCorpora(): Promise<CorpusRecord[]> {
  const db = await openStudioDb();
  const corpora = await db.getAll('corpora');
  return corpora.sort((a, b) => b.importedAt - a.importedAt);
}

export async function getCorpus(id: string): Promise<CorpusRecord | undefined> {
  const db = await openStudioDb();
  return db.get('corpora', id);
}

export async function getSample(corpusId: string, id: string): Promise<StoredSample> {
  const db = await openStudioDb();
  const tx = db.transaction(['sampleChunks', 'sampleIdHashes']);
  const stores = {
    hashes: tx.objectStore('sampleIdHashes'),
    chunks: tx.objectStore('sampleChunks'),
  };
  const sample = await findSample(stores, corpusId, id);
  if (!sample) throw new Error(`Sample "${id}" is no longer in the corpus; import it again.`);
  return sample;
}

/** The samples stored, counted from their id hashes (one small record per chunk). */
export async function countSamples(corpusId: string): Promise<number> {
  const db = await openStudioDb();
  const records = await db.getAll('sampleIdHashes', corpusKeyRange(corpusId));
  return records.reduce((sum, record) => sum + record.hashes.length, 0);
}

/**
 * Reads all samples of a corpus in import order, `batchSize` at a time, and returns how many
 * were read. Each read is its own short transaction, so `onBatch` may await (a transaction left
 * open across an await would auto-commit under a cursor).
 */
export async function iterateSamples(
  corpusId: string,
  onBatch: (samples: StoredSample[]) => void | Promise<void>,
  batchSize = 1000,
): Promise<number> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`iterateSamples: batchSize must be a positive integer, got ${batchSize}.`);
  }
  const db = await openStudioDb();
  let read = 0;
  let nextSeq = 0;
  let allRead = false;
  // Samples read but not yet handed over: chunks do not end where batches do.
  let pending: StoredSample[] = [];
  for (;;) {
    while (!allRead && pending.length < batchSize) {
      const range = IDBKeyRange.bound([corpusId, nextSeq], [corpusId, Infinity]);
      const wanted = Math.ceil((batchSize - pending.length) / CHUNK_SAMPLES);
      const chunks = await db.getAll('sampleChunks', range, wanted);
      allRead = chunks.length < wanted;
      for (const chunk of chunks) {
        pending.push(...storedSamplesOf(chunk));
        nextSeq = chunk.first + chunk.samples.length;
      }
    }
    if (pending.length === 0) return read;
    const batch = pending.slice(0, batchSize);
    pending = pending.slice(batchSize);
    read += batch.length;
    await onBatch(batch);
    if (allRead && pending.length === 0) return read;
  }
}

/**
 * Deletes the corpus, its samples and skill index, and every record derived from it (graphs,
 * taxonomies, combination sets, synthesis runs, generated samples), in one transaction: either
 * all of it goes or nothing does. Deleting needs no quota, so it also works on a full disk.
 */
export async function deleteCorpus(id: string): Promise<void> {
  const db = await openStudioDb();
  const tx = db.transaction(
    ['corpora', 'sampleChunks', 'sampleIdHashes', 'skillIndexes', ...derivedStores],
    'readwrite',
  );
  forgetIdTable(id);
  const requests: Promise<unknown>[] = [
    tx.objectStore('corpora').delete(id),
    tx.objectStore('sampleChunks').delete(corpusKeyRange(id)),
    tx.objectStore('sampleIdHashes').delete(corpusKeyRange(id)),
    tx.objectStore('skillIndexes').delete(id),
  ];
  for (const name of derivedStores) {
    const store = tx.objectStore(name);
    requests.push(
      store
        .index('byCorpus')
        .getAllKeys(id)
        .then((keys) => Promise.all(keys.map((key) => store.delete(key)))),
    );
  }
  await Promise.all([...requests, tx.done]);
}
