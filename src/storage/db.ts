// Opening the database: versioned migrations, and the shared connection's life cycle across tabs.
import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Sample } from '../core/corpus/sample';
import { CHUNK_SAMPLES, chunksOf } from './sampleChunks';
import { idHashesOf } from './sampleIds';
import { DB_NAME, DB_VERSION, type StudioSchema } from './schema';
import type { SampleChunk, StorageNotice, StoredSample } from './types';

export type StudioDb = IDBPDatabase<StudioSchema>;

type UpgradeTransaction = IDBPTransaction<
  StudioSchema,
  StoreNames<StudioSchema>[],
  'versionchange'
>;

type UntypedUpgradeTransaction = IDBPTransaction<unknown, string[], 'versionchange'>;

/**
 * `migrations[v]` turns a version v-1 database into version v. They run in order inside the one
 * upgrade transaction, so an upgrade either completes or leaves the old database as it was; a
 * migration that must rewrite records does so through `tx` (never through a new transaction),
 * and awaits nothing but its requests (any other wait would let the transaction commit).
 */
const migrations: Record<number, (db: StudioDb, tx: UpgradeTransaction) => void | Promise<void>> = {
  1(db) {
    // The `samples`, `skills` stores and `byCorpusSkill` index are gone from the schema since
    // versions 6 and 5.
    const untyped = db as unknown as IDBPDatabase;
    db.createObjectStore('corpora', { keyPath: 'id' });
    const samples = untyped.createObjectStore('samples', { keyPath: ['corpusId', 'id'] });
    samples.createIndex('byCorpusOrder', ['corpusId', 'seq'], { unique: true });
    samples.createIndex('byCorpusSkill', 'corpusSkills', { multiEntry: true });
    untyped.createObjectStore('skills', { keyPath: ['corpusId', 'name'] });
    db.createObjectStore('settings');
  },
  // Each migration names its own stores: `derivedStores` grows with later versions.
  2(db, tx) {
    for (const name of [
      'graphs',
      'taxonomies',
      'combinationSets',
      'synthesisRuns',
      'generatedSamples',
    ] as const) {
      const store = db.createObjectStore(name, { keyPath: 'id' });
      store.createIndex('byCorpus', 'corpusId');
    }
    tx.objectStore('generatedSamples').createIndex('byRun', 'runId');
  },
  3(db, tx) {
    for (const name of ['taggingRuns', 'taggingAttempts'] as const) {
      const store = db.createObjectStore(name, { keyPath: 'id' });
      store.createIndex('byCorpus', 'corpusId');
    }
    tx.objectStore('taggingAttempts').createIndex('byRun', 'runId');
  },
  4(db) {
    const reviews = db.createObjectStore('reviews', { keyPath: 'sampleId' });
    reviews.createIndex('byCorpus', 'corpusId');
    reviews.createIndex('byRun', 'runId');
  },
  // The skill index replaces the skill counts and the per-tag index of samples. Corpora stored
  // before get their index built from their samples when first needed (skillIndexStore.ts); the
  // old samples keep their `corpusSkills` field, which nothing reads any more.
  // Each removal only when there is something to remove: nothing else relies on version 1's
  // stores being there.
  5(db, tx) {
    db.createObjectStore('skillIndexes', { keyPath: 'corpusId' });
    const untypedDb = db as unknown as IDBPDatabase;
    const untypedTx = tx as unknown as UntypedUpgradeTransaction;
    if (untypedDb.objectStoreNames.contains('samples')) {
      const samples = untypedTx.objectStore('samples');
      if (samples.indexNames.contains('byCorpusSkill')) samples.deleteIndex('byCorpusSkill');
    }
    if (untypedDb.objectStoreNames.contains('skills')) untypedDb.deleteObjectStore('skills');
  },
  // Samples move from one record each into chunks (schema.ts), read corpus by corpus in import
  // order, a page at a time; samples stored before version 5 lose their `corpusSkills` field.
  // (Version 6 also gave the chunks an index of their sample ids, which version 7 replaces.)
  async 6(db, tx) {
    const chunks = db.createObjectStore('sampleChunks', { keyPath: ['corpusId', 'first'] });
    const untypedDb = db as unknown as IDBPDatabase;
    if (!untypedDb.objectStoreNames.contains('samples')) return;
    const untypedTx = tx as unknown as UntypedUpgradeTransaction;
    const byOrder = untypedTx.objectStore('samples').index('byCorpusOrder');
    let after: IDBKeyRange | undefined;
    for (;;) {
      const page = (await byOrder.getAll(after, CHUNK_SAMPLES)) as OldSample[];
      const writes: Promise<unknown>[] = [];
      for (const run of consecutiveRuns(page)) {
        for (const chunk of chunksOf(run[0].corpusId, run[0].seq, run.map(sampleOf))) {
          writes.push(chunks.add(chunk));
        }
      }
      await Promise.all(writes);
      if (page.length < CHUNK_SAMPLES) break;
      const last = page[page.length - 1];
      after = IDBKeyRange.lowerBound([last.corpusId, last.seq], true);
    }
    untypedDb.deleteObjectStore('samples');
  },
  // Sample ids move from a unique multiEntry index on the chunks into one hash record per chunk
  // (schema.ts); the chunks lose the `sampleKeys` that index read.
  async 7(db, tx) {
    const hashes = db.createObjectStore('sampleIdHashes', { keyPath: ['corpusId', 'first'] });
    const chunks = tx.objectStore('sampleChunks');
    const untypedChunks = (tx as unknown as UntypedUpgradeTransaction).objectStore('sampleChunks');
    if (untypedChunks.indexNames.contains('bySampleKey')) untypedChunks.deleteIndex('bySampleKey');
    const writes: Promise<unknown>[] = [];
    for (let cursor = await chunks.openCursor(); cursor; cursor = await cursor.continue()) {
      const { sampleKeys: _keys, ...chunk } = cursor.value as SampleChunk & {
        sampleKeys?: unknown;
      };
      writes.push(hashes.add(idHashesOf(chunk)), cursor.update(chunk));
    }
    await Promise.all(writes);
  },
};

/** A sample as versions 1 to 5 stored it; before version 5 it may carry `corpusSkills`. */
type OldSample = StoredSample & { corpusSkills?: unknown };

function sampleOf(old: OldSample): Sample {
  const { corpusId: _corpus, seq: _seq, corpusSkills: _derived, ...sample } = old;
  return sample;
}

/** `samples` (in corpus and position order) split where the corpus changes or a position is skipped. */
function consecutiveRuns(samples: readonly OldSample[]): OldSample[][] {
  const runs: OldSample[][] = [];
  let run: OldSample[] = [];
  for (const sample of samples) {
    const previous = run[run.length - 1];
    if (previous && (previous.corpusId !== sample.corpusId || previous.seq + 1 !== sample.seq)) {
      runs.push(run);
      run = [];
    }
    run.push(sample);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

type NoticeListener = (notice: StorageNotice) => void;
const listeners = new Set<NoticeListener>();

/** Subscribe to connection problems the user must act on; returns the unsubscribe function. */
export function onStorageNotice(listener: NoticeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(notice: StorageNotice): void {
  if (listeners.size === 0) console.warn(notice.message);
  for (const listener of listeners) listener(notice);
}

let shared: Promise<StudioDb> | null = null;

/**
 * The shared connection, opened (and upgraded to `DB_VERSION`) on first use. When the browser or
 * another tab closes it, the next call opens a new one.
 */
export function openStudioDb(): Promise<StudioDb> {
  shared ??= open().catch((error: unknown) => {
    shared = null;
    throw error;
  });
  return shared;
}

/**
 * Runs the migrations after `oldVersion`, in order. A failure aborts the upgrade, so the database
 * stays as it was and opening it rejects, instead of committing half a migration.
 */
async function migrate(db: StudioDb, oldVersion: number, tx: UpgradeTransaction): Promise<void> {
  try {
    for (let version = oldVersion + 1; version <= DB_VERSION; version++) {
      await migrations[version](db, tx);
    }
  } catch (error) {
    console.error('Upgrading the STEPS Studio database failed:', error);
    try {
      tx.abort();
    } catch {
      // InvalidStateError: a failed request has aborted the transaction already.
    }
  }
}

async function open(): Promise<StudioDb> {
  try {
    return await openDB<StudioSchema>(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        void migrate(db, oldVersion, tx);
      },
      blocked() {
        notify({
          kind: 'blocked',
          message:
            'STEPS Studio is waiting for another tab to release its database so it can be ' +
            'upgraded. Close or reload the other STEPS Studio tabs.',
        });
      },
      blocking(_currentVersion, _blockedVersion, event) {
        // Another tab is upgrading the database; closing lets it proceed (open transactions
        // still finish). This tab's code is older than the new schema, hence the reload.
        (event.target as IDBDatabase).close();
        shared = null;
        notify({
          kind: 'closed-for-upgrade',
          message:
            'A newer STEPS Studio was opened in another tab and upgraded the stored data. ' +
            'Reload this tab to keep working.',
        });
      },
      terminated() {
        shared = null;
        notify({
          kind: 'terminated',
          message:
            'The browser closed the STEPS Studio database (site data may have been cleared). ' +
            'Reload the page.',
        });
      },
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'VersionError') {
      throw new Error(
        `The stored STEPS Studio data was upgraded by a newer version of the app (database ` +
          `version newer than ${DB_VERSION}), probably in another tab. Reload this page.`,
        { cause: error },
      );
    }
    throw error;
  }
}
