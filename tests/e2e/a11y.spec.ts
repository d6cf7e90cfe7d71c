// Accessibility of the shell and of the Import, Combinations (with the baselines), Synthesis,
// Dataset and model pages, in the light and the dark theme: axe finds no serious or critical
// violation (colour contrast included), and nothing scrolls sideways at 1280×720. The pages'
// screenshots are saved under tests/e2e/screenshots/ on the way, and the baseline comparison is
// checked in the dataset card.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readZip } from '../unit/core/export/zipReader';
import { buildTaxonomy, findCombinations, importDemoCorpus, loadFixtureModel } from './workflow';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Axe's serious and critical findings on the page as it is, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) => `${violation.id}: ${node.target.join(' ')} (${node.failureSummary})`,
      ),
    );
}

/** Nothing wider than the window. */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** Opens a page by the workflow's navigation and waits for its heading. */
async function open(page: Page, step: string, heading: string | RegExp): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Workflow' })
    .getByRole('link', { name: step })
    .click();
  await expect(page.locator('main h2').first()).toHaveText(heading);
}

test('the shell before any corpus, in both themes: no serious violation, no sideways scroll', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/#/combinations');
  await expect(page.getByRole('heading', { name: 'Combinations' })).toBeVisible();
  // The system's dark preference applies until the user chooses.
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const darkBackground = await page.evaluate(
    () => getComputedStyle(document.documentElement).backgroundColor,
  );
  expect(await seriousViolations(page)).toEqual([]);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(
    await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
  ).not.toBe(darkBackground);
  expect(await seriousViolations(page)).toEqual([]);
  expect(await scrollsSideways(page)).toBe(false);
  // The choice is kept in the settings: it outlasts a reload and the system's preference.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
});

test('every page of the method, in both themes: no serious violation, nothing wider than 1280×720; screenshots', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await page.getByRole('button', { name: 'Compare with baselines' }).click();
  await expect(page.getByTestId('baselines-table')).toBeVisible();
  await loadFixtureModel(page);
  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill('2');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();
  // The comparison, stored with the combinations the run drew from, goes out with the card.
  await page.goto('/#/dataset');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .zip' }).click();
  const zip = readZip(new Uint8Array(readFileSync((await (await download).path())!)));
  const card = new TextDecoder().decode([...zip].find(([path]) => path.endsWith('/README.md'))![1]);
  expect(card).toContain('## STEPS against its baselines');
  expect(card).toMatch(/\| random \| {2}\| \d\.\d{4} \|/);

  for (const theme of ['light', 'dark'] as const) {
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    if ((await toggle.getAttribute('aria-pressed')) !== String(theme === 'dark'))
      await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', String(theme === 'dark'));
    // Step, its heading, what shows it is drawn, and its screenshot (the Skills step and the
    // explorer are photographed by skills.spec.ts and explore.spec.ts on larger data).
    const pages: [string, string | RegExp, string, string | null][] = [
      ['Import', 'Import a corpus', 'corpus-item', 'import'],
      ['Skills', /^Skills of/, 'skills-summary', null],
      ['Taxonomy', /^Taxonomy of/, 'icicle-cell', null],
      ['Combinations', 'Skill combinations', 'baselines-table', 'combinations'],
      ['Synthesis', 'Synthesis', 'run-attempts', 'synthesis'],
      ['Review', /^Review the samples/, 'review-detail', 'review'],
      ['Dataset', /Dataset/, 'dataset-summary', 'dataset'],
    ];
    for (const [step, heading, drawn, name] of pages) {
      await open(page, step, heading);
      await expect(page.getByTestId(drawn).first()).toBeVisible();
      expect(await seriousViolations(page), `${step}, ${theme} theme`).toEqual([]);
      expect(await scrollsSideways(page), `${step}, ${theme} theme`).toBe(false);
      if (theme === 'light' && name !== null) {
        await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
      }
    }
    // The combination dialog over the page.
    await open(page, 'Combinations', 'Skill combinations');
    await page.getByRole('button', { name: 'Counts of combination 1', exact: true }).click();
    await expect(page.getByTestId('details-together')).toBeVisible();
    expect(await seriousViolations(page), `combination dialog, ${theme} theme`).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('model-link').click();
    await expect(page.getByRole('heading', { name: 'Language model' })).toBeVisible();
    expect(await seriousViolations(page), `model page, ${theme} theme`).toEqual([]);
    expect(await scrollsSideways(page), `model page, ${theme} theme`).toBe(false);
  }
});
