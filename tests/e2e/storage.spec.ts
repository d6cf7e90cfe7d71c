// The IndexedDB storage layer in real Chromium: schema upgrade, corpus CRUD with cascading
// deletion, a real quota failure, persistence and estimates, and the tab-upgrade handshake with
// the notices the app shows for it.
// The page is the app's test build, which exposes the storage module on `window.__stepsStorage`
// (tests/e2e/hooks/storageHook.ts). Each test gets a fresh browser context, hence an empty
// database.
import { expect, test, type Page } from '@playwright/test';
import type { Sample } from '../../src/core/corpus/sample';
import { DB_VERSION } from '../../src/storage/schema';
import type { CorpusMeta, StorageNotice } from '../../src/storage/types';
import type { StorageTestHook } from './hooks/storageHook';
import { readStore } from './workflow';

// The Node-side type-check has no DOM library, so the few raw IndexedDB calls made inside the
// page are typed by these minimal structural declarations.
interface RawRequest<T> {
  result: T;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface RawOpenRequest extends RawRequest<RawDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface RawIndex {
  name: string;
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
  count(key: unknown): RawRequest<number>;
}
interface RawStore {
  keyPath: string | string[] | null;
  indexNames: ArrayLike<string>;
  createIndex(
    name: string,
    keyPath: string | string[],
    options?: { unique?: boolean; multiEntry?: boolean },
  ): RawIndex;
  index(name: string): RawIndex;
  put(value: unknown, key?: string): RawRequest<unknown>;
  get(key: unknown): RawRequest<unknown>;
  count(): RawRequest<number>;
}
interface RawTransaction {
  objectStore(name: string): RawStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
}
interface RawDatabase {
  version: number;
  objectStoreNames: ArrayLike<string>;
  createObjectStore(name: string, options?: { keyPath?: string | string[] }): RawStore;
  transaction(stores: string | string[], mode?: 'readonly' | 'readwrite'): RawTransaction;
  close(): void;
}
interface PageGlobals {
  __stepsStorage: StorageTestHook;
  __notices: StorageNotice[];
  indexedDB: { open(name: string, version?: number): RawOpenRequest };
}

const meta = (name: string): CorpusMeta => ({
  name,
  fileName: `${name}.jsonl`,
  fileSize: 1234,
  format: 'jsonl',
  shape: 'openai',
  tagField: 'skills',
  delimiter: null,
});

const sample = (id: string, skills: string[], line: number): Sample => ({
  id,
  messages: [
    { role: 'user', content: `question ${id}` },
    { role: 'assistant', content: `answer ${id}` },
  ],
  skills,
  source: `alpha.jsonl:${line}`,
});

/**
 * A blank page on the app's origin (same IndexedDB), for setting up storage before the app
 * runs: the app opens, and so creates or upgrades, the database as soon as it loads.
 */
async function openBlankPage(page: Page): Promise<void> {
  await page.route('/blank', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
  );
  await page.goto('/blank');
}

async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => '__stepsStorage' in globalThis);
}

test('a version 1 database with data upgrades to the current version without loss', async ({
  page,
}) => {
  await openBlankPage(page);
  // The version 1 layout, written here independently of db.ts, with records as v1 stored them.
  await page.evaluate(async () => {
    const { indexedDB } = globalThis as unknown as PageGlobals;
    const request = indexedDB.open('steps-studio', 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('corpora', { keyPath: 'id' });
      const samples = db.createObjectStore('samples', { keyPath: ['corpusId', 'id'] });
      samples.createIndex('byCorpusOrder', ['corpusId', 'seq'], { unique: true });
      samples.createIndex('byCorpusSkill', 'corpusSkills', { multiEntry: true });
      db.createObjectStore('skills', { keyPath: ['corpusId', 'name'] });
      db.createObjectStore('settings');
    };
    const db = await new Promise<RawDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error('opening v1 failed'));
    });
    const tx = db.transaction(['corpora', 'samples', 'skills', 'settings'], 'readwrite');
    tx.objectStore('corpora').put({
      id: 'c1',
      name: 'old corpus',
      fileName: 'old.jsonl',
      fileSize: 99,
      format: 'jsonl',
      shape: 'openai',
      tagField: 'skills',
      delimiter: null,
      importedAt: 1,
      status: 'ready',
      storedSamples: 3,
      stats: { rows: 4, kept: 3, tagged: 3, skills: 2, tagsPerSample: { '1': 2, '2': 1 } },
      rejected: [{ line: 2, reason: 'not JSON' }],
      rejectedTotal: 1,
    });
    const skillsOf: string[][] = [['math'], ['math', 'code'], ['code']];
    skillsOf.forEach((skills, seq) =>
      tx.objectStore('samples').put({
        id: `s${seq}`,
        messages: [{ role: 'user', content: `q${seq}` }],
        skills,
        source: `old.jsonl:${seq + 1}`,
        corpusId: 'c1',
        seq,
        corpusSkills: skills.map((skill) => `c1\u0000${skill}`),
      }),
    );
    tx.objectStore('skills').put({ corpusId: 'c1', name: 'math', count: 2 });
    tx.objectStore('skills').put({ corpusId: 'c1', name: 'code', count: 2 });
    tx.objectStore('settings').put('dark', 'theme');
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new Error('writing v1 data failed'));
    });
    db.close();
  });

  await openApp(page);
  const read = await page.evaluate(async () => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const order: string[] = [];
    const samples: unknown[] = [];
    await storage.iterateSamples(
      'c1',
      (batch) => {
        order.push(...batch.map((s) => s.id));
        samples.push(...batch);
      },
      2,
    );
    return {
      samples,
      second: await storage.getSample('c1', 's1'),
      corpus: await storage.getCorpus('c1'),
      count: await storage.countSamples('c1'),
      skills: await storage.listSkills('c1'),
      code: (await storage.samplesBySkill('c1', 'code', 10)).map((s) => s.id),
      // Built from the samples on first use above, and kept.
      indexed: (await storage.getSkillIndex('c1'))?.names,
      order,
    };
  });
  expect(read.corpus?.name).toBe('old corpus');
  expect(read.corpus?.rejected).toEqual([{ line: 2, reason: 'not JSON' }]);
  expect(read.count).toBe(3);
  expect(read.skills).toEqual([
    { corpusId: 'c1', name: 'code', count: 2 },
    { corpusId: 'c1', name: 'math', count: 2 },
  ]);
  expect(read.code).toEqual(['s1', 's2']);
  expect(read.indexed).toEqual(['math', 'code']);
  expect(read.order).toEqual(['s0', 's1', 's2']);
  // The samples as imported, without version 1's `corpusSkills`.
  const v1Samples = [['math'], ['math', 'code'], ['code']].map((skills, seq) => ({
    id: `s${seq}`,
    messages: [{ role: 'user', content: `q${seq}` }],
    skills,
    source: `old.jsonl:${seq + 1}`,
    corpusId: 'c1',
    seq,
  }));
  expect(read.samples).toEqual(v1Samples);
  expect(read.second).toEqual(v1Samples[1]);

  // The layout on disk after the upgrade, read through the raw API.
  const layout = await readLayout(page);
  expect(layout.version).toBe(DB_VERSION);
  expect(layout.setting).toBe('dark');
  expect(layout.stores).toEqual(currentLayout);
});

const byCorpus = { byCorpus: { keyPath: 'corpusId', unique: false, multiEntry: false } };
const byRun = { byRun: { keyPath: 'runId', unique: false, multiEntry: false } };
/** The stores and indexes of the current database version. */
const currentLayout = {
  corpora: { keyPath: 'id', indexes: {} },
  sampleChunks: { keyPath: ['corpusId', 'first'], indexes: {} },
  sampleIdHashes: { keyPath: ['corpusId', 'first'], indexes: {} },
  skillIndexes: { keyPath: 'corpusId', indexes: {} },
  settings: { keyPath: null, indexes: {} },
  graphs: { keyPath: 'id', indexes: byCorpus },
  taxonomies: { keyPath: 'id', indexes: byCorpus },
  combinationSets: { keyPath: 'id', indexes: byCorpus },
  synthesisRuns: { keyPath: 'id', indexes: byCorpus },
  generatedSamples: { keyPath: 'id', indexes: { ...byCorpus, ...byRun } },
  taggingRuns: { keyPath: 'id', indexes: byCorpus },
  taggingAttempts: { keyPath: 'id', indexes: { ...byCorpus, ...byRun } },
  reviews: { keyPath: 'sampleId', indexes: { ...byCorpus, ...byRun } },
};

/** The database's version, stores and indexes, and its `theme` setting, read through the raw API. */
async function readLayout(page: Page) {
  return page.evaluate(async () => {
    const { indexedDB } = globalThis as unknown as PageGlobals;
    const request = indexedDB.open('steps-studio');
    const db = await new Promise<RawDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error('opening failed'));
    });
    const names = Array.from(db.objectStoreNames);
    const tx = db.transaction(names);
    const stores = Object.fromEntries(
      names.map((name) => {
        const store = tx.objectStore(name);
        const indexes = Array.from(store.indexNames, (indexName) => {
          const { keyPath, unique, multiEntry } = store.index(indexName);
          return [indexName, { keyPath, unique, multiEntry }];
        });
        return [name, { keyPath: store.keyPath, indexes: Object.fromEntries(indexes) }];
      }),
    );
    const theme = tx.objectStore('settings').get('theme');
    const setting = await new Promise<unknown>((resolve) => {
      theme.onsuccess = () => resolve(theme.result);
    });
    db.close();
    return { version: db.version, stores, setting };
  });
}

/** A corpus record as versions 5 and 6 stored it. */
const oldCorpus = (id: string, status: string, storedSamples: number) => ({
  ...meta(id),
  id,
  importedAt: 1,
  status,
  storedSamples,
  stats: null,
  rejected: [],
  rejectedTotal: 0,
});

/** A store of an older database version: its key path (none: out-of-line keys) and indexes. */
interface OldStore {
  name: string;
  keyPath?: string | string[];
  indexes?: { name: string; keyPath: string | string[]; unique?: boolean; multiEntry?: boolean }[];
}

/** The stores derived from corpora in versions 5 and 6, each with `byCorpus` (some `byRun`). */
const derivedStoresV5: OldStore[] = (
  [
    ['graphs', 'id', false],
    ['taxonomies', 'id', false],
    ['combinationSets', 'id', false],
    ['synthesisRuns', 'id', false],
    ['generatedSamples', 'id', true],
    ['taggingRuns', 'id', false],
    ['taggingAttempts', 'id', true],
    ['reviews', 'sampleId', true],
  ] as const
).map(([name, keyPath, byRun]) => ({
  name,
  keyPath,
  indexes: [
    { name: 'byCorpus', keyPath: 'corpusId' },
    ...(byRun ? [{ name: 'byRun', keyPath: 'runId' }] : []),
  ],
}));

/**
 * Writes a database of an older version through the raw API, independently of db.ts: its stores,
 * then its records (`key` for a store with out-of-line keys), in one transaction.
 */
async function writeOldDatabase(
  page: Page,
  version: number,
  stores: OldStore[],
  records: { store: string; value: unknown; key?: string }[],
): Promise<void> {
  await page.evaluate(
    async ({ version, stores, records }) => {
      const { indexedDB } = globalThis as unknown as PageGlobals;
      const request = indexedDB.open('steps-studio', version);
      request.onupgradeneeded = () => {
        for (const { name, keyPath, indexes } of stores) {
          const store = request.result.createObjectStore(name, keyPath ? { keyPath } : undefined);
          for (const index of indexes ?? []) {
            store.createIndex(index.name, index.keyPath, {
              unique: index.unique ?? false,
              multiEntry: index.multiEntry ?? false,
            });
          }
        }
      };
      const db = await new Promise<RawDatabase>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(`opening version ${version} failed`));
      });
      const tx = db.transaction([...new Set(records.map((record) => record.store))], 'readwrite');
      for (const { store, value, key } of records) {
        if (key === undefined) tx.objectStore(store).put(value);
        else tx.objectStore(store).put(value, key);
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error(`writing version ${version} data failed`));
      });
      db.close();
    },
    { version, stores, records },
  );
}

test('a version 5 database upgrades its samples into chunks: same samples, order and ids', async ({
  page,
}) => {
  await openBlankPage(page);
  // Samples as version 5 stored them, one record each: `c1` fills three chunks; `c2` repeats some
  // of its ids (ids are unique per corpus only).
  const c1 = Array.from({ length: 1203 }, (_, seq) => ({
    ...sample(`row-${seq + 1}`, seq % 100 === 0 ? ['rare'] : ['common'], seq + 1),
    corpusId: 'c1',
    seq,
  }));
  const c2 = [0, 1, 2].map((seq) => ({
    ...sample(`row-${seq + 1}`, ['other'], seq + 1),
    corpusId: 'c2',
    seq,
  }));
  // Version 5's layout, written here independently of db.ts; the samples in reverse order, so
  // that only the upgrade's reading in import order puts them back in it.
  const corpora = [oldCorpus('c1', 'ready', c1.length), oldCorpus('c2', 'ready', c2.length)];
  await writeOldDatabase(
    page,
    5,
    [
      { name: 'corpora', keyPath: 'id' },
      {
        name: 'samples',
        keyPath: ['corpusId', 'id'],
        indexes: [{ name: 'byCorpusOrder', keyPath: ['corpusId', 'seq'], unique: true }],
      },
      { name: 'skillIndexes', keyPath: 'corpusId' },
      { name: 'settings' },
      ...derivedStoresV5,
    ],
    [
      ...corpora.map((value) => ({ store: 'corpora', value })),
      ...[...c1, ...c2].reverse().map((value) => ({ store: 'samples', value })),
      { store: 'settings', value: 'dark', key: 'theme' },
    ],
  );

  await openApp(page);
  const read = await page.evaluate(async () => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        (value) => value,
        (error: Error) => error.message,
      );
    const c1: unknown[] = [];
    const batchSizes: number[] = [];
    const total = await storage.iterateSamples(
      'c1',
      (batch) => {
        batchSizes.push(batch.length);
        c1.push(...batch);
      },
      11,
    );
    const c2: unknown[] = [];
    await storage.iterateSamples('c2', (batch) => void c2.push(...batch));
    return {
      c1,
      c2,
      total,
      batchSizes,
      counts: [await storage.countSamples('c1'), await storage.countSamples('c2')],
      late: await storage.getSample('c1', 'row-1203'),
      sameIdOtherCorpus: await storage.getSample('c2', 'row-2'),
      rare: (await storage.samplesBySkill('c1', 'rare', 100)).map((s) => `${s.seq}:${s.id}`),
      missing: await outcome(storage.getSample('c2', 'row-4')),
    };
  });
  expect(read.total).toBe(1203);
  expect(read.c1).toEqual(c1);
  expect(read.c2).toEqual(c2);
  expect(read.batchSizes).toEqual([...Array<number>(109).fill(11), 4]);
  expect(read.counts).toEqual([1203, 3]);
  expect(read.late).toEqual(c1[1202]);
  expect(read.sameIdOtherCorpus).toEqual(c2[1]);
  // In sample-id order.
  expect(read.rare).toEqual(
    Array.from({ length: 13 }, (_, i) => `${i * 100}:row-${i * 100 + 1}`).sort((a, b) =>
      a.split(':')[1] < b.split(':')[1] ? -1 : 1,
    ),
  );
  expect(read.missing).toBe('Sample "row-4" is no longer in the corpus; import it again.');

  const layout = await readLayout(page);
  expect(layout.version).toBe(DB_VERSION);
  expect(layout.setting).toBe('dark');
  expect(layout.stores).toEqual(currentLayout);
});

test('a version 6 database moves its sample-id index into hash records: samples found by id, repeats refused', async ({
  page,
}) => {
  await openBlankPage(page);
  // Chunks as version 6 stored them, with the `sampleKeys` its unique index read: `c1` in three
  // chunks; `c2` repeats some of its ids; `c3` is an import cut off with its page.
  const samples = (count: number) =>
    Array.from({ length: count }, (_, seq) => sample(`row-${seq + 1}`, ['common'], seq + 1));
  const chunksOf = (corpusId: string, samples: Sample[]) =>
    Array.from({ length: Math.ceil(samples.length / 500) }, (_, i) => {
      const part = samples.slice(500 * i, 500 * (i + 1));
      return {
        corpusId,
        first: 500 * i,
        samples: part,
        sampleKeys: part.map((s) => [corpusId, s.id]),
      };
    });
  const c1 = samples(1203);
  const c2 = samples(3);
  const c3 = samples(2);
  // Version 6's layout, written here independently of db.ts.
  const corpora = [
    oldCorpus('c1', 'ready', c1.length),
    oldCorpus('c2', 'ready', c2.length),
    {
      ...oldCorpus('c3', 'interrupted', c3.length),
      fingerprint: { lastModified: 1, headSha256: 'ab' },
    },
  ];
  await writeOldDatabase(
    page,
    6,
    [
      { name: 'corpora', keyPath: 'id' },
      {
        name: 'sampleChunks',
        keyPath: ['corpusId', 'first'],
        indexes: [{ name: 'bySampleKey', keyPath: 'sampleKeys', unique: true, multiEntry: true }],
      },
      { name: 'skillIndexes', keyPath: 'corpusId' },
      { name: 'settings' },
      ...derivedStoresV5,
    ],
    [
      ...corpora.map((value) => ({ store: 'corpora', value })),
      ...[chunksOf('c1', c1), chunksOf('c2', c2), chunksOf('c3', c3)]
        .flat()
        .map((value) => ({ store: 'sampleChunks', value })),
      { store: 'settings', value: 'dark', key: 'theme' },
    ],
  );

  await openApp(page);
  const read = await page.evaluate(
    async ({ repeat }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const outcome = (promise: Promise<unknown>) =>
        promise.then(
          (value) => value,
          (error: Error) => error.message,
        );
      return {
        counts: [
          await storage.countSamples('c1'),
          await storage.countSamples('c2'),
          await storage.countSamples('c3'),
        ],
        // At once, as a synthesis run reads its examples: both read the corpus's hashes.
        firstAndLate: await Promise.all([
          storage.getSample('c1', 'row-1'),
          storage.getSample('c1', 'row-1203'),
        ]),
        sameIdOtherCorpus: await storage.getSample('c2', 'row-2'),
        missing: await outcome(storage.getSample('c2', 'row-4')),
        resumed: (
          await storage.resumeCorpus(
            'c3',
            { name: 'c3.jsonl', size: 1234 },
            {
              lastModified: 1,
              headSha256: 'ab',
            },
          )
        ).status,
        repeated: await outcome(storage.appendSamples('c3', repeat)),
        appended: await storage.appendSamples('c3', [repeat[0]]),
        found: await storage.getSample('c3', 'new-1'),
      };
    },
    { repeat: [sample('new-1', ['common'], 3), sample('row-2', ['common'], 4)] },
  );
  const stored = (corpus: Sample[], corpusId: string, seq: number) => ({
    ...corpus[seq],
    corpusId,
    seq,
  });
  expect(read.counts).toEqual([1203, 3, 2]);
  expect(read.firstAndLate).toEqual([stored(c1, 'c1', 0), stored(c1, 'c1', 1202)]);
  expect(read.sameIdOtherCorpus).toEqual(stored(c2, 'c2', 1));
  expect(read.missing).toBe('Sample "row-4" is no longer in the corpus; import it again.');
  expect(read.resumed).toBe('importing');
  expect(read.repeated).toBe(
    'Sample id "row-2" (alpha.jsonl:4) occurs twice in corpus "c3"; sample ids must be unique ' +
      'within a corpus.',
  );
  expect(read.appended).toBe(3);
  expect(read.found).toEqual({ ...sample('new-1', ['common'], 3), corpusId: 'c3', seq: 2 });
  const layout = await readLayout(page);
  expect(layout.version).toBe(DB_VERSION);
  expect(layout.setting).toBe('dark');
  expect(layout.stores).toEqual(currentLayout);
  const chunkFields = new Set(
    (await readStore<object>(page, 'sampleChunks')).flatMap((record) => Object.keys(record)),
  );
  expect([...chunkFields].sort()).toEqual(['corpusId', 'first', 'samples']);
});

test('a corpus replaced under the same id in another tab is looked up afresh, not by the ids this tab kept', async ({
  page,
}) => {
  await openApp(page);
  const corpusId = await page.evaluate(
    async (samples) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const corpus = await storage.createCorpus({
        name: 'alpha',
        fileName: 'alpha.jsonl',
        fileSize: 1234,
        format: 'jsonl',
        shape: 'openai',
        tagField: 'skills',
        delimiter: null,
      });
      await storage.appendSamples(corpus.id, samples);
      await storage.getSample(corpus.id, 'a1'); // this tab now keeps the corpus's ids
      return corpus.id;
    },
    ['a1', 'a2', 'a3'].map((id, i) => sample(id, ['math'], i + 1)),
  );

  // Another tab replaces the corpus's samples under the same id, as a project import may.
  const other = await page.context().newPage();
  await openApp(other);
  await other.evaluate(
    async ({ corpusId, samples }) => {
      const { __stepsStorage: storage, indexedDB } = globalThis as unknown as PageGlobals;
      const chunk = { corpusId, first: 0, samples };
      const request = indexedDB.open('steps-studio');
      const db = await new Promise<RawDatabase>((resolve) => {
        request.onsuccess = () => resolve(request.result);
      });
      const tx = db.transaction(['sampleChunks', 'sampleIdHashes'], 'readwrite');
      tx.objectStore('sampleChunks').put(chunk);
      tx.objectStore('sampleIdHashes').put(storage.idHashesOf(chunk));
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error('replacing the samples failed'));
      });
      db.close();
    },
    { corpusId, samples: ['b1', 'b2', 'b3'].map((id, i) => sample(id, ['code'], i + 1)) },
  );
  await other.close();

  const found = await page.evaluate(async (corpusId) => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        (value) => value,
        (error: Error) => error.message,
      );
    return {
      replacing: await outcome(storage.getSample(corpusId, 'b2')),
      replaced: await outcome(storage.getSample(corpusId, 'a2')),
    };
  }, corpusId);
  expect(found.replacing).toEqual({ ...sample('b2', ['code'], 2), corpusId, seq: 1 });
  expect(found.replaced).toBe('Sample "a2" is no longer in the corpus; import it again.');
});

test('samples in many chunks are read in order, by id and by skill; a repeated id is refused', async ({
  page,
}) => {
  await openApp(page);
  // Batches of irregular sizes: a chunk never spans two, so the chunks start irregularly.
  let line = 0;
  const batches = [600, 3, 1, 1000].map((size) =>
    Array.from({ length: size }, () => {
      line += 1;
      return sample(`row-${line}`, line % 100 === 0 ? ['rare'] : ['common'], line);
    }),
  );
  const result = await page.evaluate(
    async ({ corpusMeta, batches, laterRepeat, innerRepeat }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const outcome = (promise: Promise<unknown>) =>
        promise.then(
          (value) => value,
          (error: Error) => error.message,
        );
      const corpus = await storage.createCorpus(corpusMeta);
      const counts: number[] = [];
      for (const batch of batches) counts.push(await storage.appendSamples(corpus.id, batch));
      const laterDuplicate = await outcome(storage.appendSamples(corpus.id, laterRepeat));
      const innerDuplicate = await outcome(storage.appendSamples(corpus.id, innerRepeat));
      const read: unknown[] = [];
      const batchSizes: number[] = [];
      const total = await storage.iterateSamples(
        corpus.id,
        (batch) => {
          batchSizes.push(batch.length);
          read.push(...batch);
        },
        7,
      );
      const kept = counts[counts.length - 1];
      await storage.finishCorpus(
        corpus.id,
        { rows: kept, kept, tagged: kept, skills: 2, tagsPerSample: { '1': kept } },
        [],
      );
      return {
        id: corpus.id,
        counts,
        laterDuplicate,
        innerDuplicate,
        count: await storage.countSamples(corpus.id),
        total,
        batchSizes,
        read,
        late: await storage.getSample(corpus.id, 'row-1500'),
        refused: await outcome(storage.getSample(corpus.id, 'new-1')),
        rare: (await storage.samplesBySkill(corpus.id, 'rare', 100)).map((s) => s.id),
      };
    },
    {
      corpusMeta: meta('alpha'),
      batches,
      // row-1203 is in the second chunk of the last batch.
      laterRepeat: [sample('new-1', ['common'], 2001), sample('row-1203', ['common'], 2002)],
      innerRepeat: [
        sample('new-2', ['common'], 2003),
        sample('new-3', ['common'], 2004),
        sample('new-2', ['common'], 2005),
      ],
    },
  );
  const all = batches.flat().map((s, seq) => ({ ...s, corpusId: result.id, seq }));
  expect(result.counts).toEqual([600, 603, 604, 1604]);
  const message = (id: string, line: number) =>
    `Sample id "${id}" (alpha.jsonl:${line}) occurs twice in corpus "alpha"; sample ids must ` +
    'be unique within a corpus.';
  expect(result.laterDuplicate).toBe(message('row-1203', 2002));
  expect(result.innerDuplicate).toBe(message('new-2', 2005));
  expect(result.count).toBe(1604);
  expect(result.total).toBe(1604);
  expect(result.batchSizes).toEqual([...Array<number>(229).fill(7), 1]);
  expect(result.read).toEqual(all);
  expect(result.late).toEqual(all[1499]);
  expect(result.refused).toBe('Sample "new-1" is no longer in the corpus; import it again.');
  expect(result.rare).toEqual(Array.from({ length: 16 }, (_, i) => `row-${(i + 1) * 100}`).sort());
});

test('batches given the count they follow are stored in order, two at once; one that does not follow is refused', async ({
  page,
}) => {
  await openApp(page);
  const batch = (from: number, size: number) =>
    Array.from({ length: size }, (_, i) => sample(`row-${from + i}`, ['common'], from + i));
  const first = batch(1, 700);
  const second = batch(701, 300);
  const result = await page.evaluate(
    async ({ corpusMeta, first, second, stray, repeat }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const outcome = (promise: Promise<unknown>) =>
        promise.then(
          (value) => value,
          (error: Error) => error.message,
        );
      const corpus = await storage.createCorpus(corpusMeta);
      // Both handed over before either is stored, as the importer does.
      const counts = await Promise.all([
        storage.appendSamples(corpus.id, first, { rowsRead: 700, bytesRead: 7000 }, 0),
        storage.appendSamples(corpus.id, second, { rowsRead: 1000, bytesRead: 10000 }, 700),
      ]);
      const misplaced = await outcome(storage.appendSamples(corpus.id, stray, undefined, 700));
      const repeated = await outcome(storage.appendSamples(corpus.id, repeat, undefined, 1000));
      const read: unknown[] = [];
      await storage.iterateSamples(corpus.id, (samples) => {
        read.push(...samples);
      });
      return {
        id: corpus.id,
        counts,
        misplaced,
        repeated,
        count: await storage.countSamples(corpus.id),
        read,
        checkpoint: (await storage.getCorpus(corpus.id))?.checkpoint,
      };
    },
    {
      corpusMeta: meta('beta'),
      first,
      second,
      stray: batch(1001, 2),
      repeat: [sample('new-1', ['common'], 1003), sample('row-5', ['common'], 1004)],
    },
  );
  expect(result.counts).toEqual([700, 1000]);
  expect(result.misplaced).toBe(
    'Corpus "beta" holds 1000 samples, not the 700 this batch follows.',
  );
  expect(result.repeated).toBe(
    'Sample id "row-5" (alpha.jsonl:1004) occurs twice in corpus "beta"; sample ids must be ' +
      'unique within a corpus.',
  );
  expect(result.count).toBe(1000);
  expect(result.read).toEqual(
    [...first, ...second].map((s, seq) => ({ ...s, corpusId: result.id, seq })),
  );
  expect(result.checkpoint).toEqual({ rowsRead: 1000, bytesRead: 10000 });
});

test('corpora are created in batches, read back after a reload, and deleted with all derived data', async ({
  page,
}) => {
  await openApp(page);
  const alphaBatches = [
    [sample('a1', ['math'], 1), sample('a2', ['math', 'code'], 2), sample('a3', ['write'], 3)],
    [sample('a4', ['code', 'math'], 5), sample('a5', [], 6)],
  ];
  const created = await page.evaluate(
    async ({ alphaBatches, alphaMeta, betaMeta, betaSamples }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const alpha = await storage.createCorpus(alphaMeta);
      const counts = [];
      for (const batch of alphaBatches) counts.push(await storage.appendSamples(alpha.id, batch));
      const whileImporting = await storage.getCorpus(alpha.id);
      await storage.finishCorpus(
        alpha.id,
        { rows: 6, kept: 5, tagged: 4, skills: 3, tagsPerSample: { '0': 1, '1': 2, '2': 2 } },
        [{ line: 4, reason: 'no messages' }],
      );
      const beta = await storage.createCorpus(betaMeta);
      await storage.appendSamples(beta.id, betaSamples);
      await storage.finishCorpus(
        beta.id,
        { rows: 2, kept: 2, tagged: 2, skills: 1, tagsPerSample: { '1': 2 } },
        [],
      );
      return { alpha: alpha.id, beta: beta.id, counts, whileImporting };
    },
    {
      alphaBatches,
      alphaMeta: meta('alpha'),
      betaMeta: meta('beta'),
      // Same sample ids and skills as alpha: ids are unique per corpus only.
      betaSamples: [sample('a1', ['math'], 1), sample('a2', ['math'], 2)],
    },
  );
  expect(created.counts).toEqual([3, 5]);
  expect(created.whileImporting).toMatchObject({ status: 'importing', storedSamples: 5 });

  await page.reload();
  await page.waitForFunction(() => '__stepsStorage' in globalThis);
  const read = await page.evaluate(async ({ alpha, beta }) => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const batches: string[][] = [];
    const total = await storage.iterateSamples(
      alpha,
      async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 5)); // a consumer that awaits
        batches.push(batch.map((s) => `${s.seq}:${s.id}`));
      },
      2,
    );
    return {
      corpora: (await storage.listCorpora()).map((c) => [c.id, c.status, c.importedAt] as const),
      alpha: await storage.getCorpus(alpha),
      alphaCount: await storage.countSamples(alpha),
      betaCount: await storage.countSamples(beta),
      skills: (await storage.listSkills(alpha)).map((s) => `${s.name}=${s.count}`),
      betaSkills: (await storage.listSkills(beta)).map((s) => `${s.name}=${s.count}`),
      math: (await storage.samplesBySkill(alpha, 'math', 10)).map((s) => s.id),
      mathFirst2: (await storage.samplesBySkill(alpha, 'math', 2)).map((s) => s.id),
      code: await storage.samplesBySkill(alpha, 'code', 10),
      total,
      batches,
    };
  }, created);
  expect(read.corpora.map(([id, status]) => [id, status]).sort()).toEqual(
    [
      [created.alpha, 'ready'],
      [created.beta, 'ready'],
    ].sort(),
  );
  expect(read.corpora[0][2]).toBeGreaterThanOrEqual(read.corpora[1][2]); // newest first
  expect(read.alpha).toMatchObject({
    name: 'alpha',
    status: 'ready',
    storedSamples: 5,
    stats: { rows: 6, kept: 5, tagged: 4, skills: 3 },
    rejected: [{ line: 4, reason: 'no messages' }],
    rejectedTotal: 1,
  });
  expect([read.alphaCount, read.betaCount]).toEqual([5, 2]);
  expect(read.skills).toEqual(['math=3', 'code=2', 'write=1']);
  expect(read.betaSkills).toEqual(['math=2']);
  expect(read.math).toEqual(['a1', 'a2', 'a4']);
  expect(read.mathFirst2).toHaveLength(2);
  expect(read.code.map((s) => s.id)).toEqual(['a2', 'a4']);
  expect(read.code[1]).toMatchObject({ ...alphaBatches[1][0] }); // the sample comes back as imported
  expect(read.total).toBe(5);
  expect(read.batches).toEqual([['0:a1', '1:a2'], ['2:a3', '3:a4'], ['4:a5']]);

  // Derived records for both corpora; deleting alpha must remove only alpha's.
  const afterDelete = await page.evaluate(async ({ alpha, beta }) => {
    const { __stepsStorage: storage, indexedDB } = globalThis as unknown as PageGlobals;
    const derived = [
      'graphs',
      'taxonomies',
      'combinationSets',
      'synthesisRuns',
      'generatedSamples',
    ];
    const request = indexedDB.open('steps-studio');
    const db = await new Promise<RawDatabase>((resolve) => {
      request.onsuccess = () => resolve(request.result);
    });
    const done = (tx: RawTransaction) =>
      new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error('raw transaction failed'));
      });
    const write = db.transaction(derived, 'readwrite');
    for (const name of derived) {
      for (const corpusId of [alpha, beta]) {
        for (const n of [1, 2]) {
          const id = `${name}-${corpusId}-${n}`;
          write.objectStore(name).put({ id, corpusId, runId: `run-${corpusId}` });
        }
      }
    }
    await done(write);

    await storage.deleteCorpus(alpha);

    const read = db.transaction(derived);
    const counts: Record<string, [number, number]> = {};
    const pending = derived.map(
      (name) =>
        new Promise<void>((resolve) => {
          const index = read.objectStore(name).index('byCorpus');
          const left = index.count(alpha);
          const right = index.count(beta);
          right.onsuccess = () => {
            counts[name] = [left.result, right.result];
            resolve();
          };
        }),
    );
    await Promise.all(pending);
    db.close();
    return {
      counts,
      alpha: (await storage.getCorpus(alpha)) ?? null,
      alphaSamples: await storage.countSamples(alpha),
      alphaSkills: await storage.listSkills(alpha),
      alphaByTag: await storage.samplesBySkill(alpha, 'math', 10),
      corpora: (await storage.listCorpora()).map((c) => c.id),
      betaSamples: await storage.countSamples(beta),
      betaSkills: (await storage.listSkills(beta)).map((s) => `${s.name}=${s.count}`),
    };
  }, created);
  expect(afterDelete.counts).toEqual({
    graphs: [0, 2],
    taxonomies: [0, 2],
    combinationSets: [0, 2],
    synthesisRuns: [0, 2],
    generatedSamples: [0, 2],
  });
  expect(afterDelete.alpha).toBeNull();
  expect([afterDelete.alphaSamples, afterDelete.alphaSkills, afterDelete.alphaByTag]).toEqual([
    0,
    [],
    [],
  ]);
  expect(afterDelete.corpora).toEqual([created.beta]);
  expect(afterDelete.betaSamples).toBe(2);
  expect(afterDelete.betaSkills).toEqual(['math=2']);
});

test('a bad batch is rejected whole, with a message naming the sample; the import then fails', async ({
  page,
}) => {
  await openApp(page);
  const result = await page.evaluate(
    async ({ corpusMeta, first, repeated }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const corpus = await storage.createCorpus(corpusMeta);
      await storage.appendSamples(corpus.id, first);
      const outcome = (promise: Promise<unknown>) =>
        promise.then(
          () => 'stored',
          (error: Error) => error.message,
        );
      const duplicate = await outcome(storage.appendSamples(corpus.id, repeated));
      const invalidId = await outcome(
        storage.appendSamples(corpus.id, [repeated[0], { ...repeated[1], id: null as never }]),
      );
      const wrongCount = await outcome(
        storage.finishCorpus(
          corpus.id,
          { rows: 5, kept: 5, tagged: 5, skills: 2, tagsPerSample: {} },
          [],
        ),
      );
      const stored = {
        count: await storage.countSamples(corpus.id),
        skills: (await storage.listSkills(corpus.id)).map((s) => `${s.name}=${s.count}`),
      };
      await storage.failCorpus(corpus.id, duplicate);
      await storage.failCorpus(corpus.id, 'a later error'); // the first reason stays
      const afterFail = await outcome(storage.appendSamples(corpus.id, []));
      return {
        duplicate,
        invalidId,
        wrongCount,
        stored,
        afterFail,
        corpus: await storage.getCorpus(corpus.id),
      };
    },
    {
      corpusMeta: meta('alpha'),
      first: [sample('a1', ['math'], 1), sample('a2', ['code'], 2)],
      // a3 would be new; a1 repeats: the whole batch must be refused, a3 included.
      repeated: [sample('a3', ['math'], 3), sample('a1', ['math'], 4)],
    },
  );
  expect(result.duplicate).toBe(
    'Sample id "a1" (alpha.jsonl:4) occurs twice in corpus "alpha"; sample ids must be unique ' +
      'within a corpus.',
  );
  expect(result.invalidId).toMatch(/^Sample alpha\.jsonl:4 cannot be stored: .*not a valid key/);
  expect(result.wrongCount).toContain('reports 5 kept samples but 2 were stored');
  expect(result.stored).toEqual({ count: 2, skills: ['code=1', 'math=1'] });
  expect(result.afterFail).toBe('Corpus "alpha" is failed, no longer importing.');
  expect(result.corpus).toMatchObject({ status: 'failed', error: result.duplicate });
});

test('a full quota stops the import with a clear message, undoes it, and keeps other corpora', async ({
  page,
}) => {
  // A real quota failure: Chromium enforces an origin quota set through the DevTools protocol.
  // It is set before the app first opens the database (Chromium caches the space it may use).
  // 1.2 MB holds a few batches of about 340 kB of incompressible text.
  await openBlankPage(page);
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1_200_000 });
  await openApp(page);

  const before = await page.evaluate(
    async ({ corpusMeta, samples }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const other = await storage.createCorpus(corpusMeta);
      await storage.appendSamples(other.id, samples);
      await storage.finishCorpus(
        other.id,
        { rows: 2, kept: 2, tagged: 2, skills: 1, tagsPerSample: { '1': 2 } },
        [],
      );
      return { other: other.id };
    },
    { corpusMeta: meta('other'), samples: [sample('o1', ['math'], 1), sample('o2', ['math'], 2)] },
  );

  const result = await page.evaluate(
    async ({ corpusMeta, other }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const corpus = await storage.createCorpus(corpusMeta);
      const randomText = (bytes: number) =>
        btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
      const stored: number[] = [];
      let failure: { name: string; message: string; cause?: string } | null = null;
      const progress: Array<number | undefined> = [];
      for (let batch = 0; batch < 20 && !failure; batch++) {
        const samples = Array.from({ length: 50 }, (_, i) => ({
          id: `b${batch}-${i}`,
          messages: [{ role: 'user' as const, content: randomText(5000) }],
          skills: ['bulk'],
          source: `big.jsonl:${batch * 50 + i + 1}`,
        }));
        try {
          stored.push(await storage.appendSamples(corpus.id, samples));
          progress.push(await storage.countSamples(corpus.id));
        } catch (error) {
          const { name, message, cause } = error as Error & { cause?: Error };
          failure = { name, message, cause: cause?.name };
        }
      }
      return {
        stored,
        progress,
        failure,
        corpus: (await storage.getCorpus(corpus.id)) ?? null,
        corpusSamples: await storage.countSamples(corpus.id),
        corpusSkills: await storage.listSkills(corpus.id),
        corpora: (await storage.listCorpora()).map((c) => [c.name, c.status]),
        other: await storage.getCorpus(other),
        otherSamples: await storage.countSamples(other),
        otherSkills: (await storage.listSkills(other)).map((s) => `${s.name}=${s.count}`),
      };
    },
    { corpusMeta: meta('big'), other: before.other },
  );
  await cdp.send('Storage.overrideQuotaForOrigin', { origin }); // back to the default quota

  // Some batches fit before the quota ran out, each stored whole.
  expect(result.stored.length).toBeGreaterThan(0);
  expect(result.progress).toEqual(result.stored);
  const storedBefore = result.stored[result.stored.length - 1];
  expect(result.failure).toEqual({
    name: 'StorageFullError',
    cause: 'QuotaExceededError',
    message:
      `Browser storage is full: importing "big" stopped after ${storedBefore} samples and was ` +
      'undone; nothing else changed. Free disk space on this device, delete corpora you no ' +
      'longer need, or import a smaller file.',
  });
  // Decision: the partial corpus is rolled back (see src/storage/corpusStore.ts).
  expect(result.corpus).toBeNull();
  expect(result.corpusSamples).toBe(0);
  expect(result.corpusSkills).toEqual([]);
  expect(result.corpora).toEqual([['other', 'ready']]);
  expect(result.other).toMatchObject({ name: 'other', status: 'ready', storedSamples: 2 });
  expect(result.otherSamples).toBe(2);
  expect(result.otherSkills).toEqual(['math=2']);
});

test('persistence request and storage estimate return sane values', async ({ page }) => {
  await openApp(page);
  const result = await page.evaluate(async () => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    return {
      persisted: await storage.requestPersistence(),
      estimate: await storage.storageEstimate(),
      formatted: [0, 999, 1000, 1_500_000, 12_345_678, 999_600, 10_737_418_240].map(
        storage.formatBytes,
      ),
    };
  });
  expect(typeof result.persisted).toBe('boolean');
  expect(result.estimate!.quota).toBeGreaterThan(0);
  expect(result.estimate!.usage).toBeGreaterThanOrEqual(0);
  expect(result.formatted).toEqual([
    '0 B',
    '999 B',
    '1 kB',
    '1.5 MB',
    '12.3 MB',
    '1 MB',
    '10.7 GB',
  ]);
});

test('an upgrade from another tab closes this connection with a notice', async ({ page }) => {
  await openApp(page);
  await page.evaluate(async () => {
    const globals = globalThis as unknown as PageGlobals;
    globals.__notices = [];
    globals.__stepsStorage.onStorageNotice((notice) => globals.__notices.push(notice));
    await globals.__stepsStorage.listCorpora(); // opens the shared connection
  });

  // A second tab of a newer app version upgrades the database; it must not stay blocked.
  const other = await page.context().newPage();
  await openBlankPage(other);
  const upgraded = await other.evaluate(async (newer) => {
    const { indexedDB } = globalThis as unknown as PageGlobals;
    const request = indexedDB.open('steps-studio', newer);
    const db = await new Promise<RawDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error('upgrade failed'));
    });
    db.close();
    return db.version;
  }, DB_VERSION + 1);
  expect(upgraded).toBe(DB_VERSION + 1);

  const after = await page.evaluate(async () => {
    const globals = globalThis as unknown as PageGlobals;
    const reopen = await globals.__stepsStorage.listCorpora().then(
      () => 'opened',
      (error: Error) => error.message,
    );
    return { notices: globals.__notices, reopen };
  });
  expect(after.notices).toEqual([
    {
      kind: 'closed-for-upgrade',
      message:
        'A newer STEPS Studio was opened in another tab and upgraded the stored data. ' +
        'Reload this tab to keep working.',
    },
  ]);
  expect(after.reopen).toBe(
    'The stored STEPS Studio data was upgraded by a newer version of the app (database ' +
      `version newer than ${DB_VERSION}), probably in another tab. Reload this page.`,
  );

  // The app shows the notice, with the way out.
  const notice = page.getByTestId('storage-notice');
  await expect(notice).toHaveAttribute('data-kind', 'closed-for-upgrade');
  await expect(notice).toContainText('upgraded the stored data. Reload this tab to keep working.');
  await expect(notice.getByRole('button', { name: 'Reload' })).toBeVisible();
});

test('a tab holding an older database version blocks the upgrade: the app says what to do, then loads', async ({
  page,
}) => {
  // Another tab of an old app version keeps a version 1 connection open and ignores requests to
  // close it.
  const old = await page.context().newPage();
  await openBlankPage(old);
  await old.evaluate(async () => {
    const { indexedDB } = globalThis as unknown as PageGlobals;
    const request = indexedDB.open('steps-studio', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('corpora', { keyPath: 'id' });
    await new Promise<void>((resolve, reject) => {
      request.onsuccess = () => resolve();
      request.onerror = () => reject(new Error('opening v1 failed'));
    });
  });

  await openApp(page);
  const notice = page.getByTestId('storage-notice');
  await expect(notice).toHaveAttribute('data-kind', 'blocked');
  await expect(notice).toContainText(
    'waiting for another tab to release its database so it can be upgraded. ' +
      'Close or reload the other STEPS Studio tabs.',
  );
  // No step is shown as if it had nothing stored, or as if an import could start.
  await expect(page.getByText('Waiting for the stored data…')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Import a corpus' })).toBeHidden();

  await old.close();
  await expect(notice).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Import a corpus' })).toBeVisible();
  await expect(page.getByText('None yet. Import a file or the demo corpus above.')).toBeVisible();
  const version = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const { indexedDB } = globalThis as unknown as PageGlobals;
        const request = indexedDB.open('steps-studio');
        request.onsuccess = () => {
          request.result.close();
          resolve(request.result.version);
        };
      }),
  );
  expect(version).toBe(DB_VERSION);
});

test('storage figures say the quota is only an estimate, and a large import is warned of with the figures', async ({
  page,
}) => {
  // Chromium reports a quota of about 10 GB here whatever it enforces, and keeps no site's data
  // persistently; a device nearly full is simulated by a reported quota of 3 MB.
  await page.addInitScript(() => {
    const estimate = navigator.storage.estimate.bind(navigator.storage);
    navigator.storage.estimate = async () => ({ ...(await estimate()), quota: 3_000_000 });
  });
  await openApp(page);

  await page.goto('/#/model');
  const figures = page.getByTestId('storage-estimate');
  await expect(figures).toHaveText(/^[\d.]+ kB used of 3 MB \(estimate\)$/);
  const persistence = page.getByTestId('storage-persistence');
  await expect(persistence).toContainText(
    'Only an estimate: this data is not kept persistently, so the browser may clear it',
  );
  await persistence.getByRole('button', { name: 'Keep data' }).click();
  await expect(persistence).toContainText('The browser declined');

  // The demo corpus (453 kB, about 906 kB once stored) is more than a tenth of the room left:
  // the import is warned of, with the figures, before it starts.
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles('public/demo/demo-corpus.jsonl');
  await expect(page.getByTestId('storage-room-warning')).toHaveText(
    /^Importing demo-corpus\.jsonl needs about 906 kB; this site may store [\d.]+ MB more \([\d.]+ kB used of 3 MB\)\. Only an estimate: /,
  );
  await expect(page.getByRole('button', { name: 'Import demo-corpus.jsonl' })).toBeEnabled();

  // A model to be kept in the browser is warned of the same way before it is written: here a
  // picked GGUF file of 2.5 MB whose copy would be kept.
  await page.goto('/#/model');
  await page.getByTestId('gguf-keep-copy').check();
  const header = Buffer.from('GGUF');
  await page.getByTestId('gguf-file').setInputFiles({
    name: 'large-model.gguf',
    mimeType: 'application/octet-stream',
    buffer: Buffer.concat([header, Buffer.alloc(2_500_000 - header.length)]),
  });
  await expect(page.getByTestId('storage-room-warning')).toHaveText(
    /^Downloading large-model\.gguf .*needs about 2\.5 MB; this site may store [\d.]+ MB more /,
  );
});
