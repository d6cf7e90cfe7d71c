// The Dataset step's card with a corpus whose file name is hostile markup: the card a hub would
// render holds the name escaped, never as HTML. Needs a test build (`vite build --mode test`),
// which serves the fixture model.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { buildTaxonomy, findCombinations, loadFixtureModel } from './workflow';

const demoCorpus = fileURLToPath(new URL('../../public/demo/demo-corpus.jsonl', import.meta.url));

test('a corpus imported under a hostile file name gives a card without raw markup', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const name = 'x<img src=x onerror=alert(1)><script>alert(2)<script>|.jsonl';
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles({
    name,
    mimeType: 'application/jsonl',
    buffer: readFileSync(demoCorpus),
  });
  await page.getByRole('button', { name: `Import ${name}` }).click();
  await expect(page.getByRole('heading', { name: `Imported ${name}` })).toBeVisible();
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await loadFixtureModel(page);

  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill('2');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();

  await page.goto('/#/dataset');
  await expect(page.getByTestId('dataset-summary')).toContainText('valid samples');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download dataset card (README.md)' }).click();
  const card = readFileSync((await (await download).path())!, 'utf8');

  expect(card).not.toMatch(/<(img|script)/i);
  const escaped = 'x&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;script&gt;';
  expect(card).toContain(`# STEPS synthetic conversations from ${escaped}|.jsonl`);
  expect(card).toContain(`| name | ${escaped}\\|.jsonl |`);
  expect(dialogs).toEqual([]);
});
