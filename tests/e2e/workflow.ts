// Steps of the workflow that several browser tests walk through, and a raw look into IndexedDB.
import { expect, type Page } from '@playwright/test';

/** Every record of an IndexedDB store, read straight from the database. */
export function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('steps-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    store,
  );
}

export async function importDemoCorpus(page: Page): Promise<void> {
  await page.goto('/#/import');
  await page.getByRole('button', { name: 'Import the demo corpus' }).click();
  await expect(page.getByRole('heading', { name: 'Imported demo-corpus.jsonl' })).toBeVisible();
}

export async function buildTaxonomy(page: Page): Promise<void> {
  await page.goto('/#/taxonomy');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-skills')).toBeVisible();
}

/** Runs the combination search for k skills on the Combinations step (which must be open). */
export async function findCombinations(page: Page, k: number): Promise<void> {
  await page.getByLabel('Skills per combination (k)').fill(String(k));
  await page.getByRole('button', { name: 'Find combinations' }).click();
  await expect(page.getByTestId('combinations-summary')).toContainText(
    `combinations of ${k} skills`,
  );
}

/** Chooses the fixture model served by the test build, on WASM, and loads it. */
export async function loadFixtureModel(page: Page): Promise<void> {
  await page.goto('/#/model');
  await page.getByTestId('tjs-device').selectOption('wasm');
  await page
    .getByTestId('tjs-model')
    .filter({ hasText: 'STEPS test fixture' })
    .getByRole('button', { name: 'Use' })
    .click();
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText('ready');
}

/** Records every text the progress line shows, however briefly. */
export async function recordProgress(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid=job-progress]')?.textContent?.trim();
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** What `recordProgress` saw so far. */
export const progressSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
