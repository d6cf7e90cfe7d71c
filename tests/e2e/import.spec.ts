import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '../sharedData';

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
