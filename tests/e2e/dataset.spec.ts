// The Dataset step's one download: a short synthesis with the fixture model, then the zip with
// every format, checked file by file (the card's YAML, the data files against the samples stored
// in IndexedDB); and a corpus imported under a hostile file name gives a card without raw
// markup. Needs a test build (`vite build --mode test`), which serves the fixture model.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { parquetReadObjects } from 'hyparquet';
import { parse } from 'yaml';
import type { DatasetManifest } from '../../src/core/export/manifest';
import type { GeneratedSample } from '../../src/core/synthesis/generatedSample';
import { readZip } from '../unit/core/export/zipReader';
import {
  buildTaxonomy,
  findCombinations,
  importDemoCorpus,
  loadFixtureModel,
  readStore,
} from './workflow';

const demoCorpus = fileURLToPath(new URL('../../public/demo/demo-corpus.jsonl', import.meta.url));
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** A run of `count` samples of k = 2 with the fixture model, from the Combinations step on. */
async function synthesise(page: Page, count: number): Promise<void> {
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await loadFixtureModel(page);
  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill(String(count));
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();
}

/** Clicks Download .zip and reads the downloaded archive. */
async function downloadZip(page: Page) {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .zip' }).click();
  const file = await download;
  const files = readZip(new Uint8Array(readFileSync((await file.path())!)));
  return { name: file.suggestedFilename(), files };
}

test('the dataset downloads as one zip of data files, card and manifest', async ({ page }) => {
  await importDemoCorpus(page);
  await synthesise(page, 3);

  await page.goto('/#/dataset');
  await expect(page.getByTestId('dataset-summary')).toContainText('valid samples');
  for (const format of ['JSONL · ShareGPT', 'JSONL · Alpaca', 'CSV (spreadsheets)']) {
    await page.getByLabel(format).check();
  }
  await page.getByLabel('Include provenance (under "steps")').check();
  await page.getByLabel('Dataset name').fill('Demo skills');
  await page.getByRole('combobox', { name: 'Licence', exact: true }).selectOption('other');
  await page.getByLabel('Licence name').fill('demo-terms');
  await page.getByLabel('Licence link').fill('https://example.org/terms');
  await page.getByLabel('Languages').fill('en, de');
  const { name, files } = await downloadZip(page);

  const root = name.replace(/\.zip$/, '');
  expect(root).toMatch(/^Demo-skills-run-[0-9a-f]{16}-\d{4}-\d{2}-\d{2}$/);
  expect([...files.keys()]).toEqual([
    `${root}/data/train-00000.parquet`,
    `${root}/openai/train-00000.jsonl`,
    `${root}/sharegpt/train-00000.jsonl`,
    `${root}/alpaca/train-00000.jsonl`,
    `${root}/csv/train-00000.csv`,
    `${root}/README.md`,
    `${root}/manifest.json`,
  ]);

  const attempts = await readStore<{ index: number; sample: GeneratedSample | null }>(
    page,
    'generatedSamples',
  );
  const samples = attempts
    .sort((a, b) => a.index - b.index)
    .flatMap((attempt) => (attempt.sample ? [attempt.sample] : []));
  expect(samples.length).toBeGreaterThan(0);

  const lines = text(files.get(`${root}/openai/train-00000.jsonl`))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { messages: unknown; steps: { id: string } });
  expect(lines.map((line) => line.messages)).toEqual(samples.map((sample) => sample.messages));
  expect(lines.map((line) => line.steps.id)).toEqual(samples.map((sample) => sample.id));
  const parquet = files.get(`${root}/data/train-00000.parquet`)!.slice().buffer;
  const rows = await parquetReadObjects({ file: parquet });
  expect(rows.map((row) => row.messages)).toEqual(samples.map((sample) => sample.messages));

  const manifest = JSON.parse(text(files.get(`${root}/manifest.json`))) as DatasetManifest;
  expect(manifest.files.map((file) => file.rows)).toEqual(Array(5).fill(samples.length));
  expect(manifest.corpus?.sha256).toMatch(/^[0-9a-f]{64}$/);
  const card = text(files.get(`${root}/README.md`));
  const yaml = parse(card.split('\n---\n')[0].slice('---\n'.length)) as Record<string, unknown>;
  expect(yaml).toMatchObject({
    license: 'other',
    license_name: 'demo-terms',
    license_link: 'https://example.org/terms',
    language: ['en', 'de'],
    annotations_creators: ['machine-generated'],
    configs: [
      {
        config_name: 'default',
        data_files: [{ split: 'train', path: 'data/train-00000.parquet' }],
      },
      { config_name: 'openai' },
      { config_name: 'sharegpt' },
      { config_name: 'alpaca' },
      { config_name: 'csv' },
    ],
  });
  expect(card).toContain(`| total | ${samples.length} |`);
  expect(card).toContain(`| unreviewed | ${samples.length} |`);
  expect(card).toContain(`| file SHA-256 | \`${manifest.corpus!.sha256}\` |`);
});

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
  await synthesise(page, 2);

  await page.goto('/#/dataset');
  await expect(page.getByTestId('dataset-summary')).toContainText('valid samples');
  const { files } = await downloadZip(page);
  const card = text([...files].find(([path]) => path.endsWith('/README.md'))![1]);

  expect(card).not.toMatch(/<(img|script)/i);
  const escaped = 'x&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;script&gt;';
  expect(card).toContain(`# STEPS synthetic conversations: ${escaped}|`);
  expect(card).toContain(`| name | ${escaped}\\|.jsonl |`);
  expect(dialogs).toEqual([]);
});
