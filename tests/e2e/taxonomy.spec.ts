import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCombinations, progressSeen, recordProgress } from './workflow';

test('builds the taxonomy and combinations of the demo corpus in the worker, kept across a reload', async ({
  page,
}) => {
  await page.goto('/#/import');
  await page.getByRole('button', { name: 'Import the demo corpus' }).click();
  await expect(page.getByRole('heading', { name: 'Imported demo-corpus.jsonl' })).toBeVisible();
  const skills = await page.getByTestId('stat-skills').textContent();

  await page.goto('/#/taxonomy');
  await recordProgress(page);
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-skills')).toHaveText(skills!);
  const communities = (await page.getByTestId('taxonomy-communities').textContent())!
    .split('·')
    .map(Number);
  expect(communities).toHaveLength(3);
  expect(communities[0]).toBeGreaterThan(1);
  expect(Number(await page.getByTestId('taxonomy-entropy').textContent())).toBeGreaterThan(0);
  const phases = (await progressSeen(page)).join('\n');
  expect(phases).toContain('reading samples');
  expect(phases).toContain('building tree');

  await page.goto('/#/combinations');
  await findCombinations(page, 4);
  await expect(page.locator('.result tbody tr').first().locator('.skill')).toHaveCount(3);

  await page.reload();
  await page.goto('/#/taxonomy');
  await expect(page.getByTestId('taxonomy-skills')).toHaveText(skills!);
});

test('cancelling a long combination search stops the worker, and the next search works', async ({
  page,
}) => {
  // A corpus large enough that k = 7, B = 100 from every start takes many seconds.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines: string[] = [];
  for (let row = 0; row < 20000; row++) {
    const topic = Math.floor(random() * 40);
    const tags = new Set<string>();
    const count = 2 + Math.floor(random() * 3);
    while (tags.size < count) tags.add(`skill_${topic}_${Math.floor(random() * random() * 60)}`);
    lines.push(JSON.stringify({ prompt: `task ${row}`, response: 'ok', skills: [...tags] }));
  }
  const file = join(mkdtempSync(join(tmpdir(), 'steps-e2e-')), 'large.jsonl');
  writeFileSync(file, lines.join('\n'));

  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Import large.jsonl' }).click();
  await expect(page.getByTestId('stat-kept')).toHaveText('20,000', { timeout: 60_000 });

  await page.goto('/#/taxonomy');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-skills')).toBeVisible({ timeout: 60_000 });

  await page.goto('/#/combinations');
  await page.getByLabel('Skills per combination (k)').fill('7');
  await page.getByLabel('Beam width').fill('100');
  await page.getByRole('button', { name: 'Find combinations' }).click();
  await expect(page.getByTestId('job-progress')).toContainText('searching');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cancelled.');
  await expect(page.getByTestId('job-progress')).toHaveCount(0);

  await page.getByLabel('Skills per combination (k)').fill('2');
  await page.getByLabel('Beam width').fill('1');
  await page.getByRole('button', { name: 'Find combinations' }).click();
  await expect(page.getByTestId('combinations-summary')).toContainText('combinations of 2 skills', {
    timeout: 30_000,
  });
});
