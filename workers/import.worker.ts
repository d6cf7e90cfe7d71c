// Imports a corpus file off the main thread: streams it through src/core/corpus and writes each
// batch of samples to IndexedDB from here, so the main thread only sees progress and memory stays
// bounded whatever the file size. Up to two batches are written while the next is parsed, and the
// file's SHA-256 is computed beside the import by a worker of its own. The samples' skills go into
// the corpus's skill index (src/core/graph/skillIndex.ts, a few bytes per tag), stored with the
// finished corpus. An import cut off with its page is resumed by reading the file again: the
// samples it stored are read and counted but not written again, so the corpus ends as a clean
// import would; its skill index is then built from the stored samples when first needed.
import { importCorpus, previewCorpus } from '../src/core/corpus/importCorpus';
import { SkillIndexBuilder } from '../src/core/graph/skillIndex';
import {
  appendSamples,
  createCorpus,
  failCorpus,
  finishCorpus,
  isImportOf,
  listCorpora,
  resumeCorpus,
} from '../src/storage/corpusStore';
import type { CorpusRecord, FileFingerprint } from '../src/storage/types';
import { WorkerBridge } from './bridge';
import { corpusFileFromBlob } from './browserCorpusFile';
import type { FileHashApi } from './fileHashApi';
import { importLockName, type ImportApi, type ImportProgress } from './importApi';
import { serveWorker } from './protocol';
import { errorMessage } from '../src/core/errorMessage';

/**
 * Samples per write transaction: large enough that a transaction's fixed cost is small next to
 * its samples, small enough that a batch's structured clone stays a few megabytes.
 */
const BATCH_SAMPLES = 2000;

/**
 * Batches handed to IndexedDB and not yet stored: two, so that the browser copies one while it
 * writes the other, and memory holds at most two besides the one being read.
 */
const WRITES_IN_FLIGHT = 2;

/** Bytes at the start of a file whose hash tells it from another file of the same name and size. */
const FINGERPRINT_BYTES = 64 * 1024;

async function fingerprintOf(file: File): Promise<FileFingerprint> {
  const head = await file.slice(0, FINGERPRINT_BYTES).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', head));
  const headSha256 = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return { lastModified: file.lastModified, headSha256 };
}

/** Reads `file` into `corpus` (status `importing`), after the samples it already holds. */
async function importInto(
  corpus: CorpusRecord,
  file: File,
  reportProgress: (progress: ImportProgress) => void,
) {
  // Only an import from the first sample sees every sample's skills.
  let skillIndex = corpus.storedSamples === 0 ? new SkillIndexBuilder() : null;
  // Writes handed over and not yet awaited, oldest first: at most WRITES_IN_FLIGHT.
  const writing: Promise<unknown>[] = [];
  let stored = corpus.storedSamples;
  // The file's SHA-256, on a core of its own (fileHash.worker.ts), one worker per import.
  const fileHasher = new WorkerBridge<FileHashApi>(
    () => new Worker(new URL('./fileHash.worker.ts', import.meta.url), { type: 'module' }),
  );
  try {
    // The whole file is read again on a resume, so the hash always covers all of it.
    const hashing = fileHasher.call('sha256', { file });
    hashing.catch(() => {}); // awaited after the last batch; an import that fails stops it
    const report = await importCorpus(corpusFileFromBlob(file), {
      tagField: corpus.tagField,
      delimiter: corpus.delimiter,
      skipSamples: corpus.storedSamples,
      batchSize: BATCH_SAMPLES,
      onBatch: async (samples, position) => {
        // A failed write stops the import here.
        while (writing.length >= WRITES_IN_FLIGHT) await writing.shift();
        for (const sample of samples) skillIndex?.add(sample.skills);
        const written = appendSamples(corpus.id, samples, position, stored);
        written.catch(() => {}); // awaited with a later batch or after the last
        writing.push(written);
        stored += samples.length;
      },
      onProgress: (bytesRead, rowsRead) =>
        reportProgress({ corpusId: corpus.id, bytesRead, totalBytes: file.size, rowsRead }),
    });
    while (writing.length > 0) await writing.shift();
    const fileSha256 = await hashing;
    // Let go of what is no longer needed before the index is cloned to storage (the import's
    // memory peak): the hash worker, and the builder, whose blocks (30 MB at 1.84M samples) the
    // garbage collector may then free.
    fileHasher.terminate();
    const index = skillIndex?.build();
    skillIndex = null;
    const { rows, kept, tagged, skills, tagsPerSample } = report;
    const finished = await finishCorpus(
      corpus.id,
      { rows, kept, tagged, skills, tagsPerSample },
      report.rejected,
      report.rejected.length + report.rejectedNotListed,
      index,
      fileSha256,
    );
    return { corpus: finished, report };
  } catch (error) {
    await Promise.allSettled(writing); // settled before the corpus is marked
    await failCorpus(corpus.id, errorMessage(error));
    throw error;
  } finally {
    fileHasher.terminate();
  }
}

serveWorker<ImportApi>({
  async preview({ file, tagField, delimiter }) {
    return previewCorpus(corpusFileFromBlob(file), { tagField, delimiter });
  },

  async resumable({ file }) {
    const fingerprint = await fingerprintOf(file);
    const held = new Set(((await navigator.locks.query()).held ?? []).map((lock) => lock.name));
    const cutOff = (corpus: CorpusRecord) =>
      corpus.status === 'interrupted' ||
      (corpus.status === 'importing' && !held.has(importLockName(corpus.id)));
    const corpora = await listCorpora();
    return (
      corpora.find((corpus) => cutOff(corpus) && isImportOf(corpus, file, fingerprint)) ?? null
    );
  },

  async import({ file, name, tagField, delimiter }, reportProgress) {
    const layout = await previewCorpus(corpusFileFromBlob(file), { tagField, delimiter });
    const corpus = await createCorpus({
      name,
      fileName: file.name,
      fileSize: file.size,
      format: layout.format,
      shape: layout.shape,
      tagField: layout.tagField,
      delimiter: layout.delimiter,
      fingerprint: await fingerprintOf(file),
    });
    reportProgress({ corpusId: corpus.id, bytesRead: 0, totalBytes: file.size, rowsRead: 0 });
    return navigator.locks.request(importLockName(corpus.id), () =>
      importInto(corpus, file, reportProgress),
    );
  },

  async resume({ file, corpusId }, reportProgress) {
    const fingerprint = await fingerprintOf(file);
    return navigator.locks.request(importLockName(corpusId), async () => {
      const corpus = await resumeCorpus(corpusId, file, fingerprint);
      reportProgress({ corpusId, bytesRead: 0, totalBytes: file.size, rowsRead: 0 });
      return importInto(corpus, file, reportProgress);
    });
  },
});
