import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusRecord } from '../../src/storage/types';
import { sharedPath } from '../sharedData';
import type { StorageTestHook } from './hooks/storageHook';
import { readStore } from './workflow';

test('imports IFEval through the file input, keeps it across a reload, and deletes it', async ({
  page,
}) => {
  await page.goto('/#/import');
  await page
    .getByTestId('corpus-file')
    .setInputFiles(sharedPath('data', 'ifeval', 'input_data.jsonl'));
  await expect(page.getByTestId('detected-shape')).toHaveText('ifeval');
  await expect(page.getByLabel('Skill tags from')).toHaveValue('instruction_id_list');
  await page.getByRole('button', { name: 'Import input_data.jsonl' }).click();

  await expect(page.getByTestId('stat-kept')).toHaveText('541');
  await expect(page.getByTestId('stat-skills')).toHaveText('25');
  await expect(page.getByTestId('stat-rejected')).toHaveText('0');

  await page.reload();
  const item = page.getByTestId('corpus-item').filter({ hasText: 'input_data.jsonl' });
  await expect(item.getByTestId('corpus-summary')).toHaveText('541 samples · 25 skills');

  await page.goto('/#/skills');
  await expect(page.getByRole('heading', { name: 'Skills of input_data.jsonl' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'punctuation:no_comma', exact: true })).toBeVisible();

  await page.goto('/#/import');
  await item.getByRole('button', { name: 'Delete…' }).click();
  await item.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('corpus-item')).toHaveCount(0);
  await page.reload();
  await expect(page.getByText('None yet.')).toBeVisible();
});

test('lists the line numbers of broken rows and keeps the others', async ({ page }) => {
  const lines = readFileSync(sharedPath('data', 'ifeval', 'input_data.jsonl'), 'utf8')
    .split('\n')
    .slice(0, 40);
  lines[4] = lines[4].slice(0, 30); // truncated JSON
  lines[17] = '{"prompt": 42, "instruction_id_list": "x"'; // truncated, wrong types
  lines[29] = '[1, 2, 3]'; // not an object
  const file = join(mkdtempSync(join(tmpdir(), 'steps-e2e-')), 'three-broken.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');

  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Import three-broken.jsonl' }).click();

  await expect(page.getByTestId('stat-kept')).toHaveText('37');
  await expect(page.getByTestId('stat-rejected')).toHaveText('3');
  const lineCells = page.getByTestId('rejected-rows').locator('tbody tr td:first-child');
  await expect(lineCells).toHaveText(['5', '18', '30']);
});

test('imports the bundled demo corpus with one click', async ({ page }) => {
  await page.goto('/#/import');
  await page.getByRole('button', { name: 'Import the demo corpus' }).click();
  await expect(page.getByRole('heading', { name: 'Imported demo-corpus.jsonl' })).toBeVisible();
  const skills = Number(await page.getByTestId('stat-skills').textContent());
  expect(skills).toBeGreaterThanOrEqual(50);
  await expect(page.getByTestId('stat-rejected')).toHaveText('0');
});

test('names the file when it is not a corpus at all', async ({ page }) => {
  const file = join(mkdtempSync(join(tmpdir(), 'steps-e2e-')), 'picture.jsonl');
  writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(file);
  await expect(page.getByRole('alert')).toContainText('picture.jsonl');
});

/** A summary of one corpus's stored samples that two equal corpora share: count and a digest. */
function corpusDigest(page: Page, corpusId: string) {
  return page.evaluate(async (id) => {
    const lines: string[] = [];
    const storage = (globalThis as unknown as { __stepsStorage: StorageTestHook }).__stepsStorage;
    await storage.iterateSamples(id, (batch) => {
      for (const s of batch) {
        lines.push(JSON.stringify([s.seq, s.id, s.sourceId, s.skills, s.messages, s.source]));
      }
    });
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return {
      samples: lines.length,
      digest: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
      skills: (await storage.listSkills(id)).map((s) => `${s.name}=${s.count}`),
    };
  }, corpusId);
}

test('an import cut off by a reload is resumed from where it stopped and ends as a clean import', async ({
  page,
}) => {
  // Big enough to be caught part-way: 60,000 rows, some ids repeated, some rows broken.
  const skills = ['algebra', 'geometry', 'logic', 'writing', 'coding', 'history', 'biology'];
  const lines = Array.from({ length: 60_000 }, (_, k) =>
    k % 997 === 5
      ? `{"id": "broken-${k}", "prompt": `
      : JSON.stringify({
          id: k % 101 === 0 ? 'repeated' : `s${k}`,
          prompt: `Question ${k}: ${'why '.repeat(k % 40)}?`,
          response: `Answer ${k}.`,
          skills: [skills[k % 7], skills[(k * 3) % 7]],
        }),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'steps-e2e-')), 'big.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const corpusNamed = async () =>
    (await readStore<CorpusRecord>(page, 'corpora')).find((c) => c.name === 'big.jsonl');

  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Import big.jsonl' }).click();
  await expect.poll(async () => (await corpusNamed())?.storedSamples ?? 0).toBeGreaterThan(0);
  await page.reload();

  const item = page.getByTestId('corpus-item').filter({ hasText: 'big.jsonl' });
  await expect(item.getByTestId('corpus-interrupted')).toContainText(
    'Choose the same file above to resume the import.',
  );
  const interrupted = (await corpusNamed())!;
  expect(interrupted).toMatchObject({ status: 'interrupted' });
  expect(interrupted.storedSamples).toBeLessThan(59_000);
  expect(interrupted.checkpoint!.rowsRead).toBeGreaterThanOrEqual(interrupted.storedSamples);

  // Another file of the same name, size and date is not offered: its first bytes differ.
  const other = join(mkdtempSync(join(tmpdir(), 'steps-e2e-')), 'big.jsonl');
  writeFileSync(other, lines.join('\n').replace('Question 0', 'Question ?') + '\n');
  const { mtime } = statSync(file);
  utimesSync(other, mtime, mtime);
  await page.getByTestId('corpus-file').setInputFiles(other);
  await expect(page.getByRole('button', { name: 'Import big.jsonl' })).toBeVisible();
  await expect(page.getByTestId('resumable-import')).toHaveCount(0);

  await page.getByTestId('corpus-file').setInputFiles(file);
  const offer = page.getByTestId('resumable-import');
  await expect(offer).toContainText('was interrupted after');
  const shownStored = /interrupted after\s+(\S+)\s+samples/.exec((await offer.textContent())!)?.[1];
  expect(Number(shownStored?.replace(/\D/g, ''))).toBe(interrupted.storedSamples);
  await page.getByRole('button', { name: 'Resume import' }).click();
  await expect(page.getByRole('heading', { name: 'Imported big.jsonl' })).toBeVisible();
  const stat = async (name: string) =>
    Number((await page.getByTestId(name).textContent())?.replace(/\D/g, ''));
  // 61 rows broken (every 997th from the 6th), 594 with the id "repeated".
  expect({
    rows: await stat('stat-rows'),
    kept: await stat('stat-kept'),
    rejected: await stat('stat-rejected'),
    duplicateIds: await stat('stat-duplicate-ids'),
  }).toEqual({ rows: 60_000, kept: 59_939, rejected: 61, duplicateIds: 593 });
  const resumed = (await corpusNamed())!;
  expect(resumed.status).toBe('ready');

  // The same file imported from the start, as a second corpus, for comparison.
  await page.getByTestId('corpus-file').setInputFiles(file);
  await expect(page.getByLabel('Skill tags from')).toHaveValue('skills');
  await page.getByRole('button', { name: 'Import big.jsonl' }).click();
  await expect(page.getByRole('heading', { name: 'Imported big.jsonl' })).toBeVisible();
  const corpora = (await readStore<CorpusRecord>(page, 'corpora')).filter(
    (c) => c.name === 'big.jsonl',
  );
  expect(corpora).toHaveLength(2);
  const clean = corpora.find((c) => c.id !== resumed.id)!;
  expect(clean.status).toBe('ready');
  expect(resumed.stats).toEqual(clean.stats);
  expect(resumed.rejected).toEqual(clean.rejected);
  expect(await corpusDigest(page, resumed.id)).toEqual(await corpusDigest(page, clean.id));
});
