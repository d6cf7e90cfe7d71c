// The project file's storage side: every ready corpus and what was derived from it read out as
// project lines, the digests an import compares with, and the import's writes.
//
// An import is staged, then committed: the file is read and checked completely, and compared
// with the database, before anything is written (core/project); the writes then go in one
// transaction over every store, so an import that fails half-way (a full disk, a record the
// browser refuses) is aborted as a whole and stores nothing.
import type { IDBPTransaction, StoreNames } from 'idb';
import type { Sample } from '../core/corpus/sample';
import {
  endLine,
  manifestLine,
  PROJECT_FORMAT,
  PROJECT_VERSION,
  projectSections,
  recordLine,
  type CorpusContent,
  type ProjectManifest,
  type ProjectRecord,
  type ProjectSection,
} from '../core/project/projectFile';
import {
  corpusDigest,
  CorpusSamplesDigest,
  recordsDigest,
  type ItemWrite,
} from '../core/project/projectItems';
import { iterateSamples, listCorpora } from './corpusStore';
import { openStudioDb } from './db';
import { isQuotaError, StorageFullError } from './errors';
import { chunksOf } from './sampleChunks';
import { forgetIdTable, idHashesOf } from './sampleIds';
import { corpusKeyRange, type StudioSchema } from './schema';
import { listSkills } from './skillIndexStore';
import type { CorpusRecord, SampleChunk, StoredSample } from './types';

/** Runs with the sections of their parts (projectItems.ts), each found by its `byRun` index. */
const partsOf = new Map<ProjectSection, ('generatedSamples' | 'reviews' | 'taggingAttempts')[]>([
  ['synthesisRuns', ['generatedSamples', 'reviews']],
  ['taggingRuns', ['taggingAttempts']],
]);

const derivedSections = projectSections.filter(
  (s) => s !== 'corpora' && s !== 'samples' && s !== 'skills',
);

/** A sample as the project file holds it: as stored, with its corpus and position. */
function fileSample(sample: StoredSample): ProjectRecord {
  return sample as unknown as ProjectRecord;
}

/**
 * The chunk records (sampleChunks.ts) for a file's sample records, `{...sample, corpusId, seq}`:
 * each corpus's samples in position order, a chunk ending where the corpus does or a position is
 * skipped. Sample ids are unique within each corpus (`projectItems` checks them).
 */
function fileSampleChunks(records: readonly ProjectRecord[]): SampleChunk[] {
  const byCorpus = new Map<string, { seq: number; sample: Sample }[]>();
  for (const { corpusId, seq, ...sample } of records) {
    if (typeof corpusId !== 'string' || typeof seq !== 'number' || !Number.isInteger(seq)) {
      throw new Error(`The sample record ${String(sample.id)} has no valid corpusId and seq.`);
    }
    const samples = byCorpus.get(corpusId) ?? [];
    samples.push({ seq, sample: sample as unknown as Sample });
    byCorpus.set(corpusId, samples);
  }
  const chunks: SampleChunk[] = [];
  for (const [corpusId, samples] of byCorpus) {
    samples.sort((a, b) => a.seq - b.seq);
    let start = 0;
    for (let end = 1; end <= samples.length; end++) {
      if (end < samples.length && samples[end].seq === samples[end - 1].seq + 1) continue;
      const run = samples.slice(start, end).map(({ sample }) => sample);
      chunks.push(...chunksOf(corpusId, samples[start].seq, run));
      start = end;
    }
  }
  return chunks;
}

/**
 * The corpus's skill counts as the project file holds them, `{corpusId, name, count}` by name:
 * from its skill index (skillIndexStore.ts), in the order the skills store of earlier versions
 * kept them.
 */
async function fileSkills(corpusId: string): Promise<ProjectRecord[]> {
  const skills = await listSkills(corpusId);
  skills.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return skills as unknown as ProjectRecord[];
}

/** The digest of a stored corpus's samples and skills, as `CorpusSamplesDigest` makes it. */
async function samplesDigestOf(corpusId: string): Promise<string> {
  const digest = new CorpusSamplesDigest();
  await iterateSamples(corpusId, (batch) => {
    for (const sample of batch) digest.add('samples', fileSample(sample));
  });
  for (const skill of await fileSkills(corpusId)) digest.add('skills', skill);
  return digest.value;
}

/**
 * Writes the project file through `write`, a piece at a time: every ready corpus (with its samples,
 * or by its name, row count and digest alone) and every record derived from one.
 */
export async function exportProject(
  corpusSamples: ProjectManifest['corpusSamples'],
  write: (text: string) => void | Promise<void>,
): Promise<Map<ProjectSection, number>> {
  const db = await openStudioDb();
  const counts = new Map<ProjectSection, number>(projectSections.map((s) => [s, 0]));
  const emit = async (section: ProjectSection, record: ProjectRecord, corpus?: CorpusContent) => {
    counts.set(section, counts.get(section)! + 1);
    await write(recordLine(section, record, corpus));
  };
  await write(
    manifestLine({
      format: PROJECT_FORMAT,
      version: PROJECT_VERSION,
      createdAt: new Date().toISOString(),
      corpusSamples,
    }),
  );
  const corpora = (await listCorpora()).filter((c) => c.status === 'ready');
  for (const corpus of corpora) {
    const digest = await samplesDigestOf(corpus.id);
    const record = corpus as unknown as ProjectRecord;
    await emit('corpora', record, { samples: corpus.storedSamples, digest });
    if (corpusSamples === 'all') {
      const lines: string[] = [];
      await iterateSamples(corpus.id, async (batch) => {
        for (const sample of batch) {
          counts.set('samples', counts.get('samples')! + 1);
          lines.push(recordLine('samples', fileSample(sample)));
        }
        await write(lines.join(''));
        lines.length = 0;
      });
      for (const skill of await fileSkills(corpus.id)) await emit('skills', skill);
    }
    for (const section of derivedSections) {
      const records = await db.getAllFromIndex(section, 'byCorpus', corpus.id);
      for (const derived of records) await emit(section, derived as unknown as ProjectRecord);
    }
  }
  await write(endLine(counts));
  return counts;
}

/** Splits an item key (`<section> <id>`). */
function splitKey(key: string): { section: ProjectSection; id: string } {
  const space = key.indexOf(' ');
  return { section: key.slice(0, space) as ProjectSection, id: key.slice(space + 1) };
}

/** The digest of each stored item among `keys` (as `ProjectItem.digest` makes it); absent: none. */
export async function localDigests(keys: readonly string[]): Promise<Map<string, string>> {
  const db = await openStudioDb();
  const digests = new Map<string, string>();
  for (const key of keys) {
    const { section, id } = splitKey(key);
    if (section === 'corpora') {
      const corpus = await db.get('corpora', id);
      if (!corpus) continue;
      const record = corpus as unknown as ProjectRecord;
      digests.set(key, corpusDigest(record, await samplesDigestOf(id)));
      continue;
    }
    // Parts of a corpus, never items of their own.
    if (section === 'samples' || section === 'skills') continue;
    const record = (await db.get(section, id)) as ProjectRecord | undefined;
    if (!record) continue;
    const parts: ProjectRecord[] = [];
    for (const part of partsOf.get(section) ?? []) {
      parts.push(...((await db.getAllFromIndex(part, 'byRun', id)) as ProjectRecord[]));
    }
    digests.set(key, recordsDigest([record, ...parts]));
  }
  return digests;
}

/**
 * Stored ready corpora by the digest of their samples, for the digests wanted (a file whose
 * corpora came without samples names them by it); only corpora of a wanted size are read.
 */
export async function corporaBySamples(
  wanted: readonly { samples: number; digest: string }[],
): Promise<Map<string, string>> {
  const sizes = new Set(wanted.map((w) => w.samples));
  const digests = new Set(wanted.map((w) => w.digest));
  const found = new Map<string, string>();
  const candidates = (await listCorpora()).filter(
    (c: CorpusRecord) => c.status === 'ready' && sizes.has(c.storedSamples),
  );
  for (const corpus of candidates) {
    const digest = await samplesDigestOf(corpus.id);
    if (digests.has(digest) && !found.has(digest)) found.set(digest, corpus.id);
  }
  return found;
}

type WriteTx = IDBPTransaction<StudioSchema, StoreNames<StudioSchema>[], 'readwrite'>;

/** Deletes a stored item's records, for "take theirs" (in the import's transaction). */
function deleteItem(tx: WriteTx, section: ProjectSection, id: string): Promise<unknown>[] {
  if (section === 'corpora') {
    forgetIdTable(id);
    return [
      tx.objectStore('corpora').delete(id),
      tx.objectStore('sampleChunks').delete(corpusKeyRange(id)),
      tx.objectStore('sampleIdHashes').delete(corpusKeyRange(id)),
      tx.objectStore('skillIndexes').delete(id),
    ];
  }
  // Parts of a corpus, never items of their own.
  if (section === 'samples' || section === 'skills') return [];
  const requests: Promise<unknown>[] = [tx.objectStore(section).delete(id)];
  for (const part of partsOf.get(section) ?? []) {
    const store = tx.objectStore(part);
    requests.push(
      store
        .index('byRun')
        .getAllKeys(id)
        .then((keys) => Promise.all(keys.map((key) => store.delete(key)))),
    );
  }
  return requests;
}

/**
 * Sections stored as they are, each in the store of its name. Not `samples`, stored in chunks;
 * not `skills`: a corpus's skill counts come from its skill index, built from its samples when
 * first needed.
 */
const storedSections = projectSections.filter((s) => s !== 'samples' && s !== 'skills');

/** Writes the import's items in one transaction: all of them, or, on any failure, none. */
export async function commitImport(writes: readonly ItemWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const db = await openStudioDb();
  const tx = db.transaction(
    [...storedSections, 'sampleChunks', 'sampleIdHashes', 'skillIndexes'],
    'readwrite',
  );
  const done = tx.done;
  done.catch(() => {}); // awaited below; this only keeps an early abort from being "unhandled"
  let firstFailure: unknown;
  const requests: Promise<unknown>[] = [];
  const track = (request: Promise<unknown>) =>
    requests.push(request.catch((error: unknown) => (firstFailure ??= error)));
  try {
    // Replaced items go first, and completely: a later put must not be deleted with them.
    const deletes = writes.flatMap(({ item, replace }) =>
      replace ? deleteItem(tx, item.section, item.id) : [],
    );
    await Promise.all(deletes);
    const samples: ProjectRecord[] = [];
    for (const { item } of writes) {
      for (const [section, records] of item.records) {
        if (section === 'skills') continue;
        if (section === 'samples') {
          samples.push(...records);
          continue;
        }
        const store = tx.objectStore(section);
        for (const record of records) {
          track((store.put as (value: unknown) => Promise<unknown>)(record));
        }
      }
    }
    // `add`: a chunk that is already stored (not replaced above) fails the import.
    const chunkStore = tx.objectStore('sampleChunks');
    const hashStore = tx.objectStore('sampleIdHashes');
    for (const chunk of fileSampleChunks(samples)) {
      track(chunkStore.add(chunk));
      track(hashStore.add(idHashesOf(chunk)));
    }
    await Promise.all(requests);
    if (firstFailure) throw firstFailure;
    await done;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // InvalidStateError: the transaction has already finished or aborted.
    }
    const cause = firstFailure ?? error;
    if (isQuotaError(cause)) {
      throw new StorageFullError('the project could not be imported; nothing was stored', {
        cause,
      });
    }
    throw cause;
  }
}
