// Navigation: the URL holds the step, the corpus and the taxonomy, so reloads, bookmarks and
// back/forward show them; unknown ids fall back with a note; a skip link; the focus moves to the
// step's heading on navigation, and back to where it was after a dialog closes (Escape included).
import { expect, test, type Page } from '@playwright/test';
import { buildTaxonomy, findCombinations, importDemoCorpus, readStore } from './workflow';

/** The step's heading (every step has one h2 of its own). */
const heading = (page: Page) => page.locator('main h2').first();

async function storedIds(page: Page) {
  const corpora = await readStore<{ id: string; importedAt: number }>(page, 'corpora');
  const taxonomies = await readStore<{ id: string; corpusId: string; levels: number }>(
    page,
    'taxonomies',
  );
  return { corpora: corpora.sort((a, b) => a.importedAt - b.importedAt), taxonomies };
}

const hashOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash);

test('the URL holds the step, corpus and taxonomy: links, back/forward and a reload show them, and the heading takes the focus', async ({
  page,
}) => {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  const { corpora, taxonomies } = await storedIds(page);
  const [corpus] = corpora;
  const [taxonomy] = taxonomies;
  // A link without the ids: the URL is completed with the corpus and taxonomy shown.
  await page.goto('/#/combinations');
  await expect(page.getByRole('heading', { name: 'Skill combinations' })).toBeVisible();
  await expect
    .poll(() => hashOf(page))
    .toBe(`#/combinations?corpus=${corpus.id}&taxonomy=${taxonomy.id}`);

  const steps = page.getByRole('navigation', { name: 'Workflow' });
  await steps.getByRole('link', { name: 'Skills' }).click();
  await expect
    .poll(() => hashOf(page))
    .toBe(`#/skills?corpus=${corpus.id}&taxonomy=${taxonomy.id}`);
  await expect(heading(page)).toBeFocused();
  await steps.getByRole('link', { name: 'Taxonomy' }).click();
  await expect(heading(page)).toBeFocused();
  await expect(page.getByTestId('taxonomy-skills')).toBeVisible();

  await page.goBack();
  await expect(page).toHaveTitle('Skills · STEPS Studio');
  await expect(heading(page)).toBeFocused();
  await page.goBack();
  await expect(heading(page)).toHaveText('Skill combinations');
  await expect(heading(page)).toBeFocused();
  await page.goForward();
  await expect(page).toHaveTitle('Skills · STEPS Studio');

  await page.reload();
  await expect(steps.getByRole('link', { name: 'Skills' })).toHaveAttribute('aria-current', 'step');
  expect(hashOf(page)).toBe(`#/skills?corpus=${corpus.id}&taxonomy=${taxonomy.id}`);
  await expect(page).toHaveTitle('Skills · STEPS Studio');
});

test('the URL chooses among corpora and taxonomies; choosing one updates the URL; unknown ids fall back with a note', async ({
  page,
}) => {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await page.getByLabel('Levels').fill('2');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-communities')).toHaveText(/^\d+ · \d+$/);
  // A second corpus becomes the current one (the first import's result is still on the page).
  await importDemoCorpus(page);
  await expect.poll(async () => (await storedIds(page)).corpora.length).toBe(2);
  const { corpora, taxonomies } = await storedIds(page);
  const [first, second] = corpora;
  const threeLevels = taxonomies.find((t) => t.levels === 3)!;
  const twoLevels = taxonomies.find((t) => t.levels === 2)!;
  await expect.poll(() => hashOf(page)).toBe(`#/import?corpus=${second.id}`);

  // The first corpus and its older taxonomy, by URL.
  await page.goto(`/#/taxonomy?corpus=${first.id}&taxonomy=${encodeURIComponent(threeLevels.id)}`);
  await expect(page.getByTestId('taxonomy-communities')).toHaveText(/^\d+ · \d+ · \d+$/);
  await page.goto(`/#/taxonomy?corpus=${first.id}&taxonomy=${encodeURIComponent(twoLevels.id)}`);
  await expect(page.getByTestId('taxonomy-communities')).toHaveText(/^\d+ · \d+$/);
  await page.goto(`/#/import?corpus=${first.id}`);

  // Choosing the other corpus in the page writes it into the URL.
  await page.getByRole('button', { name: 'Work on this' }).click();
  await expect.poll(() => hashOf(page)).toBe(`#/import?corpus=${second.id}`);

  // Unknown ids: the page says so and shows what it can.
  await page.goto('/#/taxonomy?corpus=no-such-corpus');
  await expect(page.getByTestId('route-note')).toContainText(
    'The address names a corpus that is not stored in this browser; showing demo-corpus.jsonl instead.',
  );
  await expect.poll(() => hashOf(page)).toBe(`#/taxonomy?corpus=${second.id}`);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.goto(`/#/combinations?corpus=${first.id}&taxonomy=no-such-taxonomy`);
  await expect(page.getByTestId('route-note')).toContainText(
    'The address names a taxonomy this corpus does not have; showing its latest instead.',
  );
  await expect(page.getByTestId('combinations-taxonomy')).toContainText('2 levels');
  await expect
    .poll(() => hashOf(page))
    .toBe(`#/combinations?corpus=${first.id}&taxonomy=${twoLevels.id}`);
});

test('a skip link leads to the step; a dialog closes with Escape and gives the focus back', async ({
  page,
}) => {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await page.reload();
  await expect(page.getByTestId('combination-row').first()).toBeVisible();

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(heading(page)).toBeFocused();

  const counts = page.getByRole('button', { name: 'Counts of combination 2', exact: true });
  await counts.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Combination 2 in the corpus' });
  await expect(dialog.getByTestId('details-together')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(counts).toBeFocused();
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(counts).toBeFocused();
});
