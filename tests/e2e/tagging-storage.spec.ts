// The version 3 schema in real Chromium: a version 2 database with data (corpus, samples, a
// synthesis run) upgrades to the current version without loss and gains the tagging stores, whose records go with their
// corpus when it is deleted. The page is the app's test build, with the storage hook
// (tests/e2e/hooks/storageHook.ts); each test gets a fresh browser context, hence an empty database.
import { expect, test, type Page } from '@playwright/test';
import { DB_VERSION } from '../../src/storage/schema';
import type { StorageTestHook } from './hooks/storageHook';

/** A blank page on the app's origin (same IndexedDB), to write a database before the app runs. */
async function openBlankPage(page: Page): Promise<void> {
  await page.route('/blank', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
  );
  await page.goto('/blank');
}

test('a version 2 database keeps its data on the upgrade to 3 and gains the tagging stores', async ({
  page,
}) => {
  await openBlankPage(page);
  // The version 2 layout, written here independently of db.ts, with records as v2 stored them.
  await page.evaluate(async () => {
    const request = indexedDB.open('steps-studio', 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('corpora', { keyPath: 'id' });
      const samples = db.createObjectStore('samples', { keyPath: ['corpusId', 'id'] });
      samples.createIndex('byCorpusOrder', ['corpusId', 'seq'], { unique: true });
      samples.createIndex('byCorpusSkill', 'corpusSkills', { multiEntry: true });
      db.createObjectStore('skills', { keyPath: ['corpusId', 'name'] });
      db.createObjectStore('settings');
      for (const name of [
        'graphs',
        'taxonomies',
        'combinationSets',
        'synthesisRuns',
        'generatedSamples',
      ]) {
        db.createObjectStore(name, { keyPath: 'id' }).createIndex('byCorpus', 'corpusId');
      }
      request.transaction!.objectStore('generatedSamples').createIndex('byRun', 'runId');
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error('opening v2 failed'));
    });
    const tx = db.transaction(
      ['corpora', 'samples', 'skills', 'synthesisRuns', 'generatedSamples'],
      'readwrite',
    );
    tx.objectStore('corpora').put({
      id: 'c2',
      name: 'alpaca.json',
      fileName: 'alpaca.json',
      fileSize: 500,
      format: 'json',
      shape: 'alpaca',
      tagField: null,
      delimiter: null,
      importedAt: 1,
      status: 'ready',
      storedSamples: 2,
      stats: { rows: 2, kept: 2, tagged: 0, skills: 0, tagsPerSample: { '0': 2 } },
      rejected: [],
      rejectedTotal: 0,
    });
    for (const seq of [0, 1]) {
      tx.objectStore('samples').put({
        id: `row-${seq + 1}`,
        messages: [
          { role: 'user', content: `question ${seq}` },
          { role: 'assistant', content: `answer ${seq}` },
        ],
        skills: [],
        source: `alpaca.json:${seq + 1}`,
        corpusId: 'c2',
        seq,
        corpusSkills: [],
      });
    }
    tx.objectStore('synthesisRuns').put({ id: 'run-1', corpusId: 'c2', status: 'paused' });
    tx.objectStore('generatedSamples').put({
      id: 'run-1:00000000',
      corpusId: 'c2',
      runId: 'run-1',
    });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new Error('writing v2 data failed'));
    });
    db.close();
  });

  await page.goto('/');
  await page.waitForFunction(() => '__stepsStorage' in globalThis);
  const after = await page.evaluate(async () => {
    const storage = (globalThis as unknown as { __stepsStorage: StorageTestHook }).__stepsStorage;
    const corpus = await storage.getCorpus('c2');
    const count = await storage.countSamples('c2');
    const request = indexedDB.open('steps-studio');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error('opening failed'));
    });
    const get = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const read = db.transaction(['synthesisRuns', 'generatedSamples', 'taggingAttempts']);
    const kept = {
      run: await get(read.objectStore('synthesisRuns').get('run-1')),
      attempt: await get(read.objectStore('generatedSamples').get('run-1:00000000')),
    };
    const attempts = read.objectStore('taggingAttempts');
    const layout = {
      version: db.version,
      stores: Array.from(db.objectStoreNames).sort(),
      taggingAttempts: {
        keyPath: attempts.keyPath,
        indexes: Array.from(attempts.indexNames).map((name) => [
          name,
          attempts.index(name).keyPath,
        ]),
      },
    };

    // Tagging records of this corpus are deleted with it.
    const write = db.transaction(['taggingRuns', 'taggingAttempts'], 'readwrite');
    write.objectStore('taggingRuns').put({ id: 'tag-1', corpusId: 'c2', status: 'done' });
    for (const index of [0, 1]) {
      write.objectStore('taggingAttempts').put({
        id: `tag-1:${String(index).padStart(8, '0')}`,
        corpusId: 'c2',
        runId: 'tag-1',
        index,
      });
    }
    await new Promise<void>((resolve) => (write.oncomplete = () => resolve()));
    await storage.deleteCorpus('c2');
    const left = db.transaction(['taggingRuns', 'taggingAttempts']);
    const remaining = {
      runs: await get(left.objectStore('taggingRuns').count()),
      attempts: await get(left.objectStore('taggingAttempts').count()),
    };
    db.close();
    return { corpus, count, kept, layout, remaining };
  });

  expect(after.corpus).toMatchObject({ name: 'alpaca.json', status: 'ready', storedSamples: 2 });
  expect(after.count).toBe(2);
  expect(after.kept.run).toEqual({ id: 'run-1', corpusId: 'c2', status: 'paused' });
  expect(after.kept.attempt).toEqual({ id: 'run-1:00000000', corpusId: 'c2', runId: 'run-1' });
  expect(after.layout).toEqual({
    version: DB_VERSION,
    stores: [
      'combinationSets',
      'corpora',
      'generatedSamples',
      'graphs',
      'reviews',
      'sampleChunks',
      'sampleIdHashes',
      'settings',
      'skillIndexes',
      'synthesisRuns',
      'taggingAttempts',
      'taggingRuns',
      'taxonomies',
    ],
    taggingAttempts: {
      keyPath: 'id',
      indexes: [
        ['byCorpus', 'corpusId'],
        ['byRun', 'runId'],
      ],
    },
  });
  expect(after.remaining).toEqual({ runs: 0, attempts: 0 });
});
