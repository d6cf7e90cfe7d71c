// Samples by id (schema.ts says why without an index): each chunk's id hashes, stored beside it,
// read into one table per corpus (src/core/corpus/sampleIdTable.ts) that is kept and brought up
// to date from the records added since. A hash only names candidates; the sample at each is read
// and its id compared.
import { SampleIdTable, sampleIdHash } from '../core/corpus/sampleIdTable';
import type { SampleChunk, SampleIdHashes, StoredSample } from './types';

/**
 * The hash record of a chunk, stored under the chunk's key. An id that is not text gets NaN:
 * `appendSamples` refuses its batch before the commit, once it has read the corpus to name it.
 */
export function idHashesOf({ corpusId, first, samples }: SampleChunk): SampleIdHashes {
  const hashOf = ({ id }: { id: unknown }) => (typeof id === 'string' ? sampleIdHash(id) : NaN);
  return { corpusId, first, hashes: Float64Array.from(samples, hashOf) };
}

/** What reading hash records needs of a transaction's `sampleIdHashes` store. */
interface HashRecords {
  get(key: [string, number]): Promise<SampleIdHashes | undefined>;
  getAll(range: IDBKeyRange): Promise<SampleIdHashes[]>;
}

/** What reading the chunk holding a position needs of a transaction's `sampleChunks` store. */
interface ChunkRecords {
  openCursor(
    range: IDBKeyRange,
    direction: IDBCursorDirection,
  ): Promise<{ value: SampleChunk } | null>;
}

/** A corpus's table as kept, with the last hash record it took. */
interface KeptTable {
  table: SampleIdTable;
  last?: SampleIdHashes;
}

/** Tables of the corpora used last. A million samples' table is about 30 MB, so only two stay. */
const tables = new Map<string, KeptTable>();
const tablesKept = 2;

/** Forgets the corpus's table (its samples are deleted), freeing its memory at once. */
export function forgetIdTable(corpusId: string): void {
  tables.delete(corpusId);
}

/**
 * Whether a kept table still describes the stored corpus. Another tab may have deleted it, or
 * replaced it under the same id (a project import keeps corpus ids), which `forgetIdTable` does
 * not see here: the table's last record must still be stored as it was.
 */
async function stillStored(hashes: HashRecords, corpusId: string, kept: KeptTable) {
  if (!kept.last) return true;
  const stored = await hashes.get([corpusId, kept.last.first]);
  return stored !== undefined && stored.hashes.join() === kept.last.hashes.join();
}

/**
 * The table of the corpus's samples at positions below `end`, read from `hashes` (in the caller's
 * transaction, so it sees what that transaction sees).
 */
async function idTable(hashes: HashRecords, corpusId: string, end: number): Promise<SampleIdTable> {
  let kept = tables.get(corpusId);
  if (!kept || kept.table.size > end || !(await stillStored(hashes, corpusId, kept))) {
    kept = { table: new SampleIdTable() };
  }
  tables.delete(corpusId);
  tables.set(corpusId, kept);
  if (tables.size > tablesKept) tables.delete(tables.keys().next().value!);
  const { table } = kept;
  if (table.size === end) return table;
  const range = IDBKeyRange.bound([corpusId, table.size], [corpusId, end], false, true);
  for (const record of await hashes.getAll(range)) {
    // Another read of the same corpus may have added this record meanwhile: tables grow by whole
    // records, so a record is either in the table already or starts where it ends.
    if (record.first < table.size) continue;
    if (record.first > table.size) {
      tables.delete(corpusId);
      throw new Error(
        `The stored sample ids of corpus ${corpusId} miss positions ${table.size} to ${record.first - 1}; import the corpus again.`,
      );
    }
    for (const hash of record.hashes) table.add(hash);
    kept.last = record;
  }
  return table;
}

/** The sample at `position` of the corpus, if stored. */
async function sampleAt(
  chunks: ChunkRecords,
  corpusId: string,
  position: number,
): Promise<StoredSample | undefined> {
  const cursor = await chunks.openCursor(
    IDBKeyRange.bound([corpusId, 0], [corpusId, position]),
    'prev',
  );
  const sample = cursor?.value.samples[position - cursor.value.first];
  return sample && { ...sample, corpusId, seq: position };
}

/** Where hash records and chunks are read: two stores of the caller's transaction. */
export interface SampleStores {
  hashes: HashRecords;
  chunks: ChunkRecords;
}

/**
 * The corpus's sample with this id among those at positions below `end` (all: Infinity);
 * undefined when there is none.
 */
export async function findSample(
  stores: SampleStores,
  corpusId: string,
  id: string,
  end = Infinity,
): Promise<StoredSample | undefined> {
  const table = await idTable(stores.hashes, corpusId, end);
  return sampleWithId(stores.chunks, table, corpusId, id);
}

/** The first of `samples` whose id the corpus holds at a position below `end`, if any. */
export async function firstHeld<T extends { id: string }>(
  stores: SampleStores,
  corpusId: string,
  samples: readonly T[],
  end: number,
): Promise<T | undefined> {
  const table = await idTable(stores.hashes, corpusId, end);
  for (const sample of samples) {
    if (await sampleWithId(stores.chunks, table, corpusId, sample.id)) return sample;
  }
  return undefined;
}

async function sampleWithId(
  chunks: ChunkRecords,
  table: SampleIdTable,
  corpusId: string,
  id: string,
): Promise<StoredSample | undefined> {
  for (const position of table.positionsOf(sampleIdHash(id))) {
    const sample = await sampleAt(chunks, corpusId, position);
    if (sample?.id === id) return sample;
  }
  return undefined;
}
