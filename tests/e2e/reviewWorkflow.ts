// A short synthesis run made by the fixture model and the Review step's rows, shared by the
// browser tests that review samples (review.spec.ts) and carry reviews elsewhere (project.spec.ts).
import { expect, type Page } from '@playwright/test';
import { buildTaxonomy, findCombinations, importDemoCorpus, loadFixtureModel } from './workflow';

/** Imports the demo corpus, builds its taxonomy and k = 2 combinations, and runs `samples`. */
export async function synthesiseSamples(page: Page, samples: number): Promise<void> {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await loadFixtureModel(page);
  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill(String(samples));
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Max tokens').fill(process.env.STEPS_E2E_MAX_TOKENS ?? '30');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();
}

/** The review state of every row the Review step lists, in order. */
export const rowStates = (page: Page) =>
  page
    .getByTestId('review-rows')
    .locator('[data-state]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state')));
