// Opening the database: versioned migrations, and the shared connection's life cycle across tabs.
import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { DB_NAME, DB_VERSION, type StudioSchema } from './schema';
import type { StorageNotice } from './types';

export type StudioDb = IDBPDatabase<StudioSchema>;

type UpgradeTransaction = IDBPTransaction<
  StudioSchema,
  StoreNames<StudioSchema>[],
  'versionchange'
>;

/**
 * `migrations[v]` turns a version v-1 database into version v. They run in order inside the one
 * upgrade transaction, so an upgrade either completes or leaves the old database as it was; a
 * migration that must rewrite records does so through `tx` (never through a new transaction).
 */
const migrations: Record<number, (db: StudioDb, tx: UpgradeTransaction) => void> = {
  1(db) {
    // The `skills` store and `byCorpusSkill` index are gone from the schema since version 5.
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
    const untypedTx = tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
    if (untypedDb.objectStoreNames.contains('samples')) {
      const samples = untypedTx.objectStore('samples');
      if (samples.indexNames.contains('byCorpusSkill')) samples.deleteIndex('byCorpusSkill');
    }
    if (untypedDb.objectStoreNames.contains('skills')) untypedDb.deleteObjectStore('skills');
  },
};

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

async function open(): Promise<StudioDb> {
  try {
    return await openDB<StudioSchema>(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        for (let version = oldVersion + 1; version <= DB_VERSION; version++) {
          migrations[version](db, tx);
        }
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
