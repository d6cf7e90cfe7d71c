// Hostile files (tests/fixtures/hostile/) through the browser import: the page shows the report
// `steps inspect` gives (the *.expected.json beside each file), never breaks on what a file holds,
// and stays usable afterwards.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStore } from './workflow';

const hostile = join('tests', 'fixtures', 'hostile');

interface ExpectedReport {
  rows: number;
  kept: number;
  tagged: number;
  skills: number;
  tagField: string | null;
  rejected: { line: number; reason: string }[];
  duplicateIds: number;
  droppedTags: { line: number; reason: string }[];
}

function expected(name: string): { report?: ExpectedReport; stderr?: string } {
  return JSON.parse(readFileSync(join(hostile, `${name}.expected.json`), 'utf8')) as {
    report?: ExpectedReport;
    stderr?: string;
  };
}

/**
 * Errors the page raised or logged; Svelte reports a broken keyed list this way. A resource the
 * browser could not load is no error of the page's code (Chromium asks for /favicon.ico).
 */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  return errors;
}

async function importFixture(page: Page, file: string): Promise<void> {
  await page.getByTestId('corpus-file').setInputFiles(join(hostile, file));
  await page.getByRole('button', { name: `Import ${file}` }).click();
  await expect(page.getByRole('heading', { name: `Imported ${file}` })).toBeVisible();
}

async function expectReport(page: Page, report: ExpectedReport): Promise<void> {
  await expect(page.getByTestId('stat-rows')).toHaveText(String(report.rows));
  await expect(page.getByTestId('stat-kept')).toHaveText(String(report.kept));
  await expect(page.getByTestId('stat-tagged')).toHaveText(String(report.tagged));
  await expect(page.getByTestId('stat-skills')).toHaveText(String(report.skills));
  await expect(page.getByTestId('stat-rejected')).toHaveText(String(report.rejected.length));
  await expect(page.getByTestId('stat-duplicate-ids')).toHaveText(String(report.duplicateIds));
}

/** The file input and the demo button work again: nothing is stuck. */
async function expectUsable(page: Page): Promise<void> {
  await expect(page.getByTestId('corpus-file')).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Import the demo corpus' })).toBeEnabled();
}

test('repeated ids: the preview shows, every row is kept under a unique id, the page stays usable', async ({
  page,
}) => {
  const errors = pageErrors(page);
  const { report } = expected('duplicate-ids');
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(join(hostile, 'duplicate-ids.jsonl'));
  await expect(page.getByTestId('detected-shape')).toHaveText('generic');
  await page.getByText('First rows as they will be imported').click();
  await expect(page.locator('.samples li')).toHaveCount(5);
  await expectUsable(page);

  await page.getByRole('button', { name: 'Import duplicate-ids.jsonl' }).click();
  await expect(page.getByRole('heading', { name: 'Imported duplicate-ids.jsonl' })).toBeVisible();
  await expectReport(page, report!);
  type Stored = { id: string; sourceId?: string };
  const chunks = await readStore<{ samples: Stored[] }>(page, 'sampleChunks');
  const samples = chunks.flatMap((chunk) => chunk.samples);
  expect(samples.map((s) => [s.id, s.sourceId ?? null]).sort()).toEqual(
    [
      ['q1', null],
      ['q1#2', 'q1'],
      ['q2', null],
      ['q1#2#2', 'q1#2'],
      ['q1#3', 'q1'],
      ['7', null],
      ['7#2', '7'],
    ].sort(),
  );
  await expectUsable(page);
  expect(errors).toEqual([]);
});

test('a JSON array with a missing brace loses that element only', async ({ page }) => {
  const errors = pageErrors(page);
  const { report } = expected('missing-brace');
  await page.goto('/#/import');
  await importFixture(page, 'missing-brace.json');
  await expectReport(page, report!);
  const lines = page.getByTestId('rejected-rows').locator('tbody tr td:first-child');
  await expect(lines).toHaveText(report!.rejected.map((r) => String(r.line)));
  await expectUsable(page);
  expect(errors).toEqual([]);
});

test('bad tag values: the tag field is kept, the values left out are listed, the rows kept', async ({
  page,
}) => {
  const errors = pageErrors(page);
  const { report } = expected('bad-tag-values');
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(join(hostile, 'bad-tag-values.jsonl'));
  await expect(page.getByLabel('Skill tags from')).toHaveValue(report!.tagField!);
  await expect(page.getByTestId('preview-dropped-tags')).toBeVisible();
  // Any field can still be chosen, and the guess chosen again.
  await page.getByLabel('Skill tags from').selectOption('prompt');
  await expect(page.getByLabel('Skill tags from')).toHaveValue('prompt');
  await page.getByLabel('Skill tags from').selectOption('tags');
  await expect(page.getByLabel('Skill tags from')).toHaveValue('tags');

  await page.getByRole('button', { name: 'Import bad-tag-values.jsonl' }).click();
  await expect(page.getByRole('heading', { name: 'Imported bad-tag-values.jsonl' })).toBeVisible();
  await expectReport(page, report!);
  const rows = page.getByTestId('dropped-tags').locator('tbody tr');
  await expect(rows).toHaveText(report!.droppedTags.map((d) => `${d.line}${d.reason}`));
  await expectUsable(page);
  expect(errors).toEqual([]);
});

test('markup in text and tags is shown as text, never run', async ({ page }) => {
  const errors = pageErrors(page);
  const { report } = expected('html-in-text');
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(join(hostile, 'html-in-text.jsonl'));
  await page.getByText('First rows as they will be imported').click();
  await expect(page.locator('.samples')).toContainText(
    `<img src=x onerror="document.title='pwned'">`,
  );
  await expect(page.locator('.samples')).toContainText('<script>alert(1)</script>');
  await page.getByRole('button', { name: 'Import html-in-text.jsonl' }).click();
  await expect(page.getByRole('heading', { name: 'Imported html-in-text.jsonl' })).toBeVisible();
  await expectReport(page, report!);

  await page.goto('/#/skills');
  await expect(page.getByRole('cell', { name: '<script>alert(1)</script>' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: '<b>html</b>' }).first()).toBeVisible();
  expect(await page.locator('img[src=x], b:text("html")').count()).toBe(0);
  // The title names the step; the markup's handler would have set it to 'pwned'.
  expect(await page.title()).toBe('Skills · STEPS Studio');
  await page.goto('/#/import');
  await expectUsable(page);
  expect(errors).toEqual([]);
});

test('UTF-16 and Latin-1 files are named for what they are, and the next file imports', async ({
  page,
}) => {
  await page.goto('/#/import');
  for (const [file, name] of [
    ['utf16le-no-bom.jsonl', 'utf16le-no-bom'],
    ['latin1.jsonl', 'latin1'],
  ]) {
    await page.getByTestId('corpus-file').setInputFiles(join(hostile, file));
    const message = expected(name).stderr!.replace(/^steps inspect: /, '');
    await expect(page.getByRole('alert')).toContainText(message);
    await expectUsable(page);
  }
  await importFixture(page, 'missing-brace.json');
});
