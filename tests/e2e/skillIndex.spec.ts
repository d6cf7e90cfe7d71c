// The per-corpus skill index in IndexedDB (src/storage/skillIndexStore.ts): written by the import
// with the finished corpus; built once from the samples for a corpus stored without one; what
// it answers; deleted with its corpus.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../../src/core/corpus/sample';
import type { CorpusMeta } from '../../src/storage/types';
import type { StorageTestHook } from './hooks/storageHook';
import { readStore } from './workflow';

interface PageGlobals {
  __stepsStorage: StorageTestHook;
}

const meta: CorpusMeta = {
  name: 'lazy',
  fileName: 'lazy.jsonl',
  fileSize: 10,
  format: 'jsonl',
  shape: 'openai',
  tagField: 'skills',
  delimiter: null,
};

const sample = (id: string, skills: string[]): Sample => ({
  id,
  messages: [{ role: 'user', content: `question ${id}` }],
  skills,
  source: `lazy.jsonl:${id}`,
});

test('the import stores the skill index with the corpus, read back as the skills and their samples', async ({
  page,
}) => {
  const rows = [
    { prompt: 'a', response: 'x', skills: ['math', 'code', 'math'] },
    { prompt: 'b', response: 'x', skills: [] },
    { prompt: 'c', response: 'x', skills: ['code'] },
    { prompt: 'd', response: 'x', skills: ['poetry', 'math'] },
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'steps-e2e-')), 'indexed.jsonl');
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n'));
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Import indexed.jsonl' }).click();
  await expect(page.getByTestId('stat-kept')).toHaveText('4');

  const stored = await page.evaluate(async () => {
    const open = indexedDB.open('steps-studio');
    const db = await new Promise<IDBDatabase>(
      (resolve) => (open.onsuccess = () => resolve(open.result)),
    );
    const request = db.transaction('skillIndexes').objectStore('skillIndexes').getAll();
    const records = await new Promise<Record<string, unknown>[]>(
      (resolve) => (request.onsuccess = () => resolve(request.result)),
    );
    db.close();
    return records.map((record) => ({
      corpusId: record.corpusId,
      names: record.names,
      typed: ['counts', 'sampleStart', 'skillIds'].every(
        (key) => record[key] instanceof Int32Array,
      ),
      counts: Array.from(record.counts as Int32Array),
      sampleStart: Array.from(record.sampleStart as Int32Array),
      skillIds: Array.from(record.skillIds as Int32Array),
    }));
  });
  const [corpus] = await readStore<{ id: string }>(page, 'corpora');
  expect(stored).toEqual([
    {
      corpusId: corpus.id,
      names: ['math', 'code', 'poetry'],
      typed: true,
      counts: [2, 2, 1],
      sampleStart: [0, 2, 2, 3, 5],
      skillIds: [0, 1, 1, 2, 0],
    },
  ]);

  const answers = await page.evaluate(async (id) => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    return {
      skills: (await storage.listSkills(id)).map((s) => `${s.name}=${s.count}`),
      math: (await storage.samplesBySkill(id, 'math', 10)).map((s) => s.id),
      mathFirst: (await storage.samplesBySkill(id, 'math', 1)).map((s) => s.id),
      unknown: await storage.samplesBySkill(id, 'cooking', 10),
    };
  }, corpus.id);
  expect(answers).toEqual({
    skills: ['code=2', 'math=2', 'poetry=1'],
    math: ['row-1', 'row-4'],
    mathFirst: ['row-1'],
    unknown: [],
  });
});

test('a corpus stored without an index gets it built from its samples once, kept until the corpus is deleted', async ({
  page,
}) => {
  await page.goto('/');
  await page.waitForFunction(() => '__stepsStorage' in globalThis);
  const result = await page.evaluate(
    async ({ meta, batches }) => {
      const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
      const corpus = await storage.createCorpus(meta);
      for (const batch of batches) await storage.appendSamples(corpus.id, batch);
      // Still importing: an index is built for the asking, but not kept.
      const whileImporting = (await storage.loadSkillIndex(corpus.id))?.names;
      const keptWhileImporting = (await storage.getSkillIndex(corpus.id)) ?? null;
      const kept = 3;
      const wrongIndex = {
        names: ['a'],
        counts: new Int32Array([1]),
        sampleStart: new Int32Array([0, 1]),
        skillIds: new Int32Array([0]),
      };
      const stats = { rows: kept, kept, tagged: kept, skills: 3, tagsPerSample: { '2': kept } };
      const refused = await storage.finishCorpus(corpus.id, stats, [], 0, wrongIndex).then(
        () => 'finished',
        (error: Error) => error.message,
      );
      await storage.finishCorpus(corpus.id, stats, []);
      const before = (await storage.getSkillIndex(corpus.id)) ?? null;
      // Two asking at once (two workers): the second waits for the first one's index.
      const progress: string[] = [];
      const [first, second] = await Promise.all([
        storage.loadSkillIndex(corpus.id, (done, total) => progress.push(`${done}/${total}`)),
        storage.loadSkillIndex(corpus.id, (done, total) => progress.push(`${done}/${total}`)),
      ]);
      const stored = await storage.getSkillIndex(corpus.id);
      await storage.deleteCorpus(corpus.id);
      return {
        whileImporting,
        keptWhileImporting,
        refused,
        before,
        progress,
        same:
          first !== undefined && second !== undefined && first.names.join() === second.names.join(),
        stored: stored && {
          names: stored.names,
          counts: Array.from(stored.counts),
          sampleStart: Array.from(stored.sampleStart),
          skillIds: Array.from(stored.skillIds),
        },
        afterDelete: (await storage.getSkillIndex(corpus.id)) ?? null,
        skillsAfterDelete: await storage.listSkills(corpus.id),
      };
    },
    {
      meta,
      batches: [[sample('s1', ['b', 'a'])], [sample('s2', ['c', 'b']), sample('s3', ['a', 'c'])]],
    },
  );
  expect(result).toEqual({
    whileImporting: ['b', 'a', 'c'],
    keptWhileImporting: null,
    refused: 'Corpus "lazy": the skill index holds 1 samples but 3 were stored.',
    before: null,
    progress: ['0/3', '3/3'],
    same: true,
    stored: {
      names: ['b', 'a', 'c'],
      counts: [2, 2, 2],
      sampleStart: [0, 2, 4, 6],
      skillIds: [0, 1, 2, 0, 1, 2],
    },
    afterDelete: null,
    skillsAfterDelete: [],
  });
});
