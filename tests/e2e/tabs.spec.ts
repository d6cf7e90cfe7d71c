// Two tabs of one browser profile and one synthesis run (the fixture model, a test build): the
// tab that runs it owns it (a Web Lock per run); the other shows it running there, without
// Resume, and can resume it once the owner pauses or closes.
import { expect, test, type Page } from '@playwright/test';
import {
  buildTaxonomy,
  findCombinations,
  importDemoCorpus,
  loadFixtureModel,
  readStore,
} from './workflow';

const WANTED = { k2: 34, k3: 34 };

const runHeading = (page: Page, state: string) =>
  page.getByRole('heading', { name: new RegExp(`^Run .* · ${state}$`) });

/** Shows the run as another tab's: no Resume, no Cancel, and why. */
async function expectRunningElsewhere(page: Page): Promise<void> {
  await expect(runHeading(page, 'running in another tab')).toBeVisible();
  await expect(page.getByTestId('run-elsewhere')).toContainText(
    'Another tab of STEPS Studio is running this run.',
  );
  await expect(page.getByRole('button', { name: 'Resume' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Cancel run' })).toBeHidden();
}

test('one tab runs a synthesis run; the other shows it running there and resumes it once that tab pauses or closes', async ({
  page: first,
  context,
}) => {
  await importDemoCorpus(first);
  await buildTaxonomy(first);
  await first.goto('/#/combinations');
  await findCombinations(first, 2);
  await findCombinations(first, 3);
  await loadFixtureModel(first);
  // The second tab has the model loaded too, ready to take over.
  const second = await context.newPage();
  await loadFixtureModel(second);

  await first.goto('/#/synthesis');
  // Enough samples that the run is still going while the second tab looks and takes over (the
  // fixture writes a sample in a fraction of a second on an idle machine): one for each of the 34
  // combinations of each size, so none repeats (a repeat at temperature 0 is a near-duplicate).
  await first.getByLabel('Samples wanted for k = 2').fill(String(WANTED.k2));
  await first.getByLabel('Samples wanted for k = 3').fill(String(WANTED.k3));
  await first.getByLabel('Temperature').fill('0');
  await first.getByLabel('Prompt budget (tokens)').fill('448');
  await first.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(runHeading(first, 'running')).toBeVisible();
  await second.goto('/#/synthesis');
  await expectRunningElsewhere(second);

  // The first tab pauses: the second may now resume, and owns the run.
  await first.getByRole('button', { name: 'Pause' }).click();
  await expect(runHeading(first, 'paused')).toBeVisible();
  await expect(runHeading(second, 'paused')).toBeVisible();
  await second.getByRole('button', { name: 'Resume' }).click();
  await expect(runHeading(second, 'running')).toBeVisible();
  // The first tab's Resume finds the run owned by the second.
  await first.getByRole('button', { name: 'Resume' }).click();
  await expectRunningElsewhere(first);

  // Closing the second tab lets go of the run: the first resumes it and finishes it.
  await second.close();
  await expect(runHeading(first, 'paused')).toBeVisible();
  await first.getByRole('button', { name: 'Resume' }).click();
  await expect(runHeading(first, 'done')).toBeVisible();

  // No attempt was made twice across the tabs: indexes run 0, 1, 2, … once each.
  const attempts = await readStore<{ index: number; status: string }>(first, 'generatedSamples');
  expect(attempts.map((a) => a.index).sort((a, b) => a - b)).toEqual(attempts.map((_, i) => i));
  expect(attempts.filter((a) => a.status === 'valid')).toHaveLength(WANTED.k2 + WANTED.k3);
});
