import { expect, test, type Page } from '@playwright/test';
import { powerLawCorpus } from './powerLawCorpus';
import { findCombinations, progressSeen, readStore, recordProgress } from './workflow';

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
  // The graph comes from the skill index stored with the import, not from the samples.
  expect(phases).toMatch(/reading skill index|building graph/);
  expect(phases).not.toContain('reading samples');
  expect(phases).toContain('building tree');

  await page.goto('/#/combinations');
  await findCombinations(page, 4);
  await expect(page.locator('.result tbody tr').first().locator('.skill')).toHaveCount(3);

  await page.reload();
  await page.goto('/#/taxonomy');
  await expect(page.getByTestId('taxonomy-skills')).toHaveText(skills!);
});

/**
 * A corpus large enough that the global search k = 7, B = 200 from every start takes seconds on a
 * fast machine (about 7.5 s in the test build on an idle 2-core one), so that a search is still
 * running when the test clicks Cancel: 30,000 samples naming 20,000 skills, a long tail.
 */
const largeCorpus = () =>
  powerLawCorpus({ name: 'large.jsonl', skills: 20_000, samples: 30_000, seed: 3 }).file;

/** Imports the large corpus and builds its first taxonomy. */
async function importLargeCorpus(page: Page): Promise<void> {
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(largeCorpus());
  await page.getByRole('button', { name: 'Import large.jsonl' }).click();
  await expect(page.getByTestId('stat-kept')).toHaveText('30,000');

  await page.goto('/#/taxonomy');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-skills')).toBeVisible();
}

/**
 * Holds the skill index store in a read-write transaction of the page until `release`: a tree
 * build that reads the corpus's skill index waits meanwhile, as on a slow disk, however fast this
 * machine is.
 */
async function holdSkillIndexes(page: Page): Promise<{ release(): Promise<void> }> {
  await page.evaluate(
    () =>
      new Promise<void>((held, failed) => {
        const open = indexedDB.open('steps-studio');
        open.onerror = () => failed(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('skillIndexes', 'readwrite').objectStore('skillIndexes');
          let holding = true;
          (window as unknown as { releaseSkillIndexes(): void }).releaseSkillIndexes = () => {
            holding = false;
          };
          // A transaction stays open while a request is pending: ask again until released.
          const keep = () => {
            if (holding) store.count(IDBKeyRange.only('')).onsuccess = keep;
            else db.close();
          };
          keep();
          held();
        };
      }),
  );
  return {
    release: () =>
      page.evaluate(() =>
        (window as unknown as { releaseSkillIndexes(): void }).releaseSkillIndexes(),
      ),
  };
}

/** Starts the global combination search for k = 7, B = 200 on the Combinations step. */
async function startLongSearch(page: Page): Promise<void> {
  await page.getByLabel('Skills per combination (k)').fill('7');
  await page.getByLabel('Beam width').fill('200');
  await page.getByRole('combobox', { name: 'Search', exact: true }).selectOption('global');
  await page.getByRole('button', { name: 'Find combinations' }).click();
  await expect(page.getByTestId('job-progress')).toContainText('searching');
}

test('cancelling a long combination search stops every worker searching, and the next search works', async ({
  page,
}) => {
  await importLargeCorpus(page);

  await page.goto('/#/combinations');
  await startLongSearch(page);
  // The search runs on the range workers (workers/combinationsPool.ts); cancelling ends them all.
  const rangeWorkers = () =>
    page.workers().filter((worker) => worker.url().includes('combinationsRange.worker')).length;
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 1) await expect.poll(rangeWorkers).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cancelled.');
  await expect(page.getByTestId('job-progress')).toHaveCount(0);
  await expect.poll(rangeWorkers).toBe(0);

  await page.getByLabel('Skills per combination (k)').fill('2');
  await page.getByLabel('Beam width').fill('1');
  await page.getByRole('button', { name: 'Find combinations' }).click();
  await expect(page.getByTestId('combinations-summary')).toContainText('combinations of 2 skills');
});

test('cancelling a combination search while a tree builds leaves the build to finish', async ({
  page,
}) => {
  await importLargeCorpus(page);
  await expect(page.getByTestId('taxonomy-communities')).toHaveText(/^\d+ · \d+ · \d+$/);

  // A tree of four levels on another graph (a higher minimum count): the worker reads the
  // corpus's skill index (not its samples), and waits for it while the index is held.
  const held = await holdSkillIndexes(page);
  await page.getByLabel('Levels').fill('4');
  await page.getByLabel('Min. samples per skill').fill('2');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('job-progress')).toContainText('reading skill index: 0 of 1');

  // Meanwhile a search on the taxonomy shown so far starts and is cancelled.
  await page.getByRole('link', { name: 'Combinations' }).click();
  await startLongSearch(page);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cancelled.');
  await expect(page.getByTestId('job-progress')).toHaveCount(0);

  // The build goes on and finishes.
  await page.getByRole('link', { name: 'Taxonomy' }).click();
  await expect(page.getByTestId('job-progress')).toContainText('reading skill index');
  expect(await readStore(page, 'taxonomies')).toHaveLength(1);
  await held.release();
  await expect(page.getByTestId('taxonomy-communities')).toHaveText(/^\d+ · \d+ · \d+ · \d+$/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await readStore(page, 'taxonomies')).toHaveLength(2);
});
