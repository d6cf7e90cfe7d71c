// A project moved to another browser: a taxonomy, its combinations and a short fixture run with
// its samples reviewed (one rejected, one edited), exported as a project file and imported into
// a fresh browser context, which then holds and shows the same records and review states;
// imported again, everything is already there; a conflicting edit is asked about and never
// overwritten silently. Needs a test build (`vite build --mode test`).
import { expect, test, type Page } from '@playwright/test';
import type { ReviewRecord } from '../../src/storage/types';
import { rowStates, synthesiseSamples } from './reviewWorkflow';
import { readStore } from './workflow';

interface Keyed {
  id: string;
  [field: string]: unknown;
}

const byId = (records: Keyed[]) => [...records].sort((a, b) => (a.id < b.id ? -1 : 1));
const bySample = (records: ReviewRecord[]) =>
  [...records].sort((a, b) => (a.sampleId < b.sampleId ? -1 : 1));
const EDITED = 'A question edited before the project moved.';

/** The stores a project file carries, as this page's database holds them. */
async function projectRecords(page: Page) {
  const [corpora, combinationSets, synthesisRuns, generatedSamples, taxonomies, graphs] =
    await Promise.all(
      [
        'corpora',
        'combinationSets',
        'synthesisRuns',
        'generatedSamples',
        'taxonomies',
        'graphs',
      ].map((store) => readStore<Keyed>(page, store).then(byId)),
    );
  // Samples are stored in chunks (src/storage/schema.ts), in import order.
  const chunks = await readStore<{ first: number; samples: Keyed[] }>(page, 'sampleChunks');
  const samples = chunks.flatMap((chunk) =>
    chunk.samples.map((sample, i): Keyed => ({ ...sample, seq: chunk.first + i })),
  );
  const reviews = await readStore<ReviewRecord>(page, 'reviews');
  return {
    reviews: bySample(reviews),
    corpora,
    combinationSets,
    synthesisRuns,
    generatedSamples,
    // Typed arrays do not cross into the test: the fields that name and size them do.
    taxonomies: taxonomies.map(({ id, graphId, corpusId, communityCount, nodeNames }) => ({
      id,
      graphId,
      corpusId,
      communityCount,
      nodeNames,
    })),
    graphs: graphs.map(({ id, names, edgeCount }) => ({ id, names, edgeCount })),
    samples: samples.map(({ id, messages, skills, seq }) => ({ id, messages, skills, seq })),
  };
}

/** Imports a project file on the Import step and waits for its report. */
async function importProject(page: Page, file: string) {
  await page.goto('/#/import');
  await page.getByTestId('project-file').setInputFiles(file);
  await expect(page.getByTestId('project-summary')).toBeVisible();
}

/** The Review step's counts and each row's state, once it lists `rows` samples. */
async function reviewStates(page: Page, rows: number) {
  await page.goto('/#/review');
  await expect(page.getByTestId('review-rows').locator('[data-state]')).toHaveCount(rows);
  return {
    summary: await page.getByTestId('review-summary').textContent(),
    rows: await rowStates(page),
  };
}

test('a project file moves taxonomy, combinations, runs and reviews to a fresh browser, and conflicts are asked', async ({
  page,
  browser,
}) => {
  await synthesiseSamples(page, 2);

  // Reviewed by keyboard: the first sample rejected, the second edited.
  await page.goto('/#/review');
  const detail = page.getByTestId('review-detail');
  await expect(detail.getByRole('heading', { name: 'Sample 1 of 2' })).toBeVisible();
  await page.keyboard.press('r');
  await expect(detail.getByRole('heading', { name: 'Sample 2 of 2' })).toBeVisible();
  await page.keyboard.press('e');
  const editor = page.getByRole('form', { name: 'Edit the conversation' });
  await expect(editor.getByRole('textbox').first()).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(EDITED);
  await page.keyboard.press('Control+Enter');
  await expect(editor).toBeHidden();
  await expect(page.getByTestId('review-summary')).toContainText(
    '0 accepted, 1 rejected, 1 edited, 0 unreviewed.',
  );
  const reviewed = await reviewStates(page, 2);
  expect(reviewed.rows).toEqual(['rejected', 'edited']);

  await page.goto('/#/import');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export project file' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^steps-project-\d{4}-\d{2}-\d{2}\.steps\.jsonl$/);
  const file = (await saved.path())!;
  const exported = await projectRecords(page);
  expect(exported.generatedSamples.length).toBeGreaterThanOrEqual(2);
  // The corpus's samples make the trip too, in chunks at both ends.
  expect(exported.samples.length).toBeGreaterThan(0);
  expect(exported.reviews.map((r) => r.verdict)).toEqual(['rejected', null]);
  expect(exported.reviews[1].edits[0].messages[0].content).toBe(EDITED);
  const items =
    exported.corpora.length +
    exported.graphs.length +
    exported.taxonomies.length +
    exported.combinationSets.length +
    exported.synthesisRuns.length;

  // A fresh browser context: its own, empty, database.
  const context = await browser.newContext();
  const other = await context.newPage();
  await importProject(other, file);
  await expect(other.getByTestId('project-summary')).toHaveText(
    new RegExp(`^Imported from .*: ${items} added, 0 already there, 0 conflicts\\.$`),
  );
  expect(await projectRecords(other)).toEqual(exported);

  // The steps show what was moved: the taxonomy, the combinations, the finished run.
  await other.goto('/#/taxonomy');
  await expect(other.getByTestId('taxonomy-skills')).toBeVisible();
  await other.goto('/#/synthesis');
  await expect(other.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();
  await expect(other.getByTestId('valid-k2')).toHaveText('2');
  await expect(other.getByRole('checkbox', { name: /^k = 2: \d+ combinations/ })).toBeVisible();
  // And the reviews: the same states, the edited sample as edited.
  expect(await reviewStates(other, 2)).toEqual(reviewed);
  await other.keyboard.press('j');
  await expect(
    other.getByTestId('review-detail').getByRole('heading', { name: 'Sample 2 of 2' }),
  ).toBeVisible();
  await expect(other.getByTestId('review-state')).toHaveText('edited');
  await expect(
    other.getByTestId('review-detail').getByRole('list', { name: 'Conversation', exact: true }),
  ).toContainText(EDITED);

  // The same file again: all of it is already there.
  await importProject(other, file);
  await expect(other.getByTestId('project-summary')).toHaveText(
    new RegExp(`^Imported from .*: 0 added, ${items} already there, 0 conflicts\\.$`),
  );

  // A node renamed here conflicts with the file's taxonomy: the import asks, and writes nothing
  // until told.
  const [taxonomy] = exported.taxonomies;
  await other.evaluate(
    (id) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('steps-studio');
        open.onsuccess = () => {
          const store = open.result
            .transaction('taxonomies', 'readwrite')
            .objectStore('taxonomies');
          const get = store.get(id);
          get.onsuccess = () => {
            const put = store.put({
              ...get.result,
              nodeNames: { '1:0': { name: 'Renamed here', source: 'user' } },
            });
            put.onsuccess = () => {
              open.result.close();
              resolve();
            };
            put.onerror = () => reject(put.error);
          };
        };
        open.onerror = () => reject(open.error);
      }),
    taxonomy.id,
  );
  await importProject(other, file);
  await expect(other.getByTestId('project-summary')).toHaveText(
    /^To import from .*, 1 conflicts\.$/,
  );
  const conflict = other.locator('[data-testid=project-item][data-status=conflict]');
  await expect(conflict).toHaveCount(1);
  await expect(conflict).toContainText('taxonomy');
  await expect(other.getByRole('button', { name: 'Import with these choices' })).toBeDisabled();
  const renamed = { '1:0': { name: 'Renamed here', source: 'user' } };
  const storedTaxonomies = () => readStore<Keyed>(other, 'taxonomies');
  expect((await storedTaxonomies())[0].nodeNames).toEqual(renamed);

  // Keep mine: nothing is written.
  await conflict.getByRole('combobox').selectOption('keep mine');
  await other.getByRole('button', { name: 'Import with these choices' }).click();
  await expect(other.getByTestId('project-summary')).toHaveText(/^Imported from /);
  expect((await storedTaxonomies()).map((t) => t.nodeNames)).toEqual([renamed]);

  // Keep both: the file's taxonomy arrives as a copy beside the edited one, with its own
  // combinations and run.
  await importProject(other, file);
  await other.getByRole('button', { name: 'keep both' }).click();
  await other.getByRole('button', { name: 'Import with these choices' }).click();
  await expect(other.getByTestId('project-summary')).toHaveText(/^Imported from /);
  const both = await storedTaxonomies();
  expect(both).toHaveLength(2);
  expect(both.find((t) => t.id === taxonomy.id)!.nodeNames).toEqual(renamed);
  const copy = both.find((t) => t.id !== taxonomy.id)!;
  expect(copy.id.startsWith(`${taxonomy.id}~`)).toBe(true);
  expect(copy.nodeNames).toEqual(taxonomy.nodeNames);
  const sets = await readStore<Keyed>(other, 'combinationSets');
  expect(sets.filter((s) => s.taxonomyId === copy.id)).toHaveLength(
    exported.combinationSets.length,
  );
  // The copied run's reviews are copies too, keyed by the copied run's samples.
  const [run] = exported.synthesisRuns;
  const copiedRun = (await readStore<Keyed>(other, 'synthesisRuns')).find((r) => r.id !== run.id)!;
  expect(copiedRun.taxonomyId).toBe(copy.id);
  const copiedReviews = bySample(await readStore<ReviewRecord>(other, 'reviews')).filter(
    (r) => r.runId === copiedRun.id,
  );
  expect(copiedReviews.map((r) => r.sampleId)).toEqual(
    exported.reviews.map((r) => r.sampleId.replace(run.id, copiedRun.id)),
  );
  expect(copiedReviews.map((r) => [r.verdict, r.edits])).toEqual(
    exported.reviews.map((r) => [r.verdict, r.edits]),
  );
  await context.close();
});

test('a damaged project file is refused with its name and line, and nothing is stored', async ({
  page,
}, testInfo) => {
  const path = testInfo.outputPath('cut.steps.jsonl');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    path,
    '{"format":"steps-project","version":1,"createdAt":"2026-01-01","corpusSamples":"all"}\n' +
      '{"section":"corpora","record":{"id":"corpus-x","name":"x","status":"ready","storedSamples":0},"corpus":{"samples":0,"digest":"0:00000000000000000"}}\n',
  );
  await page.goto('/#/import');
  await page.getByTestId('project-file').setInputFiles(path);
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing was imported. cut.steps.jsonl: the file ends after line 2 without its closing line: it was cut off',
  );
  expect(await readStore(page, 'corpora')).toEqual([]);
});
