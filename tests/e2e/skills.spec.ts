// The Skills step in the browser: the long tail, the table (sorted and searched in the skills
// worker), a skill's neighbourhood, the graph settings explained; and a table of 100,000 skills
// that scrolls without a main-thread task over 100 ms.
import { expect, test } from '@playwright/test';
import { importDemoCorpus } from './workflow';
import { powerLawCorpus } from './powerLawCorpus';

const screenshots = new URL('./screenshots/', import.meta.url);

test('the Skills step draws the long tail, sorts and searches the skills, and shows a neighbourhood', async ({
  page,
}) => {
  await importDemoCorpus(page);
  await page.goto('/#/skills');
  await expect(page.getByTestId('skills-summary')).toContainText('The graph has 60 skills');
  await expect(page.getByTestId('long-tail-plot')).toBeVisible();
  await expect(page.getByTestId('long-tail-summary')).toContainText('The long tail of 60 skills');
  await expect(page.getByTestId('graph-settings')).toContainText('(co + 2) / ((nᵢ + 1)(nⱼ + 1))');
  await expect(page.getByTestId('graph-settings')).toContainText('Minimum count 1');

  const rows = page.getByTestId('skill-rows').getByRole('row');
  await expect(page.getByTestId('skill-count')).toHaveText('60 of 60 skills');
  // Most frequent first: the samples column never rises.
  const samples = async () =>
    (await rows.locator('.samples').allTextContents()).map((t) => Number(t.replace(/\D/g, '')));
  const bySamples = await samples();
  expect(bySamples.length).toBeGreaterThan(5);
  expect([...bySamples].sort((a, b) => b - a)).toEqual(bySamples);

  // Sorted by name, A to Z, in the worker.
  await page.getByRole('button', { name: 'Skill', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /Skill/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  const names = await rows.locator('.name').allTextContents();
  expect(names).toEqual([...names].sort());

  await page.getByTestId('skill-search').fill('python');
  await expect(page.getByTestId('skill-count')).toHaveText(/^[1-9]\d* of 60 skills$/);
  for (const name of await rows.locator('.name').allTextContents()) {
    expect(name.toLowerCase()).toContain('python');
  }

  // A skill's neighbourhood: neighbours by weight, each with the samples it shares.
  const first = rows.first().locator('.name').getByRole('button');
  const skill = (await first.textContent())!.trim();
  await first.click();
  const around = page.getByTestId('neighbourhood');
  await expect(around.getByRole('heading')).toContainText(`Neighbourhood of ${skill}`);
  const shared = around.getByTestId('neighbour-cooccurrence');
  await expect(shared.first()).toContainText(/together in [1-9]\d*\s+samples?/);
  // Keyboard: a neighbour is a button; Enter moves the view there.
  const neighbour = around.getByTestId('neighbour').first().getByRole('button');
  const next = (await neighbour.textContent())!.trim();
  await neighbour.focus();
  await page.keyboard.press('Enter');
  await expect(around.getByRole('heading')).toContainText(`Neighbourhood of ${next}`);

  await page.getByTestId('skill-search').fill('');
  await page.screenshot({ path: new URL('skills.png', screenshots).pathname, fullPage: true });
});

test('a table of 100,000 skills scrolls to its end and sorts in the worker', async ({ page }) => {
  const corpus = powerLawCorpus({
    name: 'skills-100k.jsonl',
    skills: 100_000,
    samples: 45_000,
    seed: 11,
  });
  await page.goto('/#/import');
  await page.getByTestId('corpus-file').setInputFiles(corpus.file);
  await page.getByRole('button', { name: 'Import skills-100k.jsonl' }).click();
  await expect(page.getByTestId('stat-kept')).toHaveText('45,000');

  await page.goto('/#/skills');
  await expect(page.getByTestId('skill-count')).toHaveText('100,000 of 100,000 skills');
  const table = page.getByTestId('skill-rows');
  for (const fraction of [0.1, 0.35, 0.6, 0.85, 1]) {
    await table.evaluate((element, f) => {
      element.scrollTop = f * (element.scrollHeight - element.clientHeight);
    }, fraction);
    const row = Math.max(2, Math.floor(fraction * 100_000) - 5);
    await expect(table.locator(`[aria-rowindex="${row}"]`)).toBeVisible();
  }
  await expect(table.locator('[aria-rowindex="100001"]')).toBeVisible();
  // Sorting 100,000 rows happens in the worker, too.
  await page.getByRole('button', { name: 'Skill', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /Skill/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(table.locator('[aria-rowindex="2"] .name')).toHaveText('skill-0');
});
