// The whole method in the browser with the fixture model: demo corpus → taxonomy → combinations
// → a synthesis run of 20 samples that survives a reload in the middle. Needs a test build
// (`vite build --mode test`), which serves the fixture model.
import { expect, test, type Page } from '@playwright/test';
import {
  describeDiscard,
  type RecordedDiscardReason,
} from '../../src/core/synthesis/discardReason';
import {
  buildTaxonomy,
  findCombinations,
  importDemoCorpus,
  loadFixtureModel,
  readStore,
} from './workflow';

interface StoredAttempt {
  index: number;
  runId: string;
  status: 'valid' | 'discarded';
  reason: RecordedDiscardReason | null;
}

/** Every attempt stored in IndexedDB. */
const storedAttempts = (page: Page) => readStore<StoredAttempt>(page, 'generatedSamples');

/** The demo corpus, its taxonomy and combinations of each k, (the fixture,) the Synthesis step. */
async function openSynthesis(page: Page, ks: number[], { model }: { model: boolean }) {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  for (const k of ks) await findCombinations(page, k);
  if (model) await loadFixtureModel(page);
  await page.goto('/#/synthesis');
}

test('a synthesis run of 20 samples resumes after a reload and records every attempt once', async ({
  page,
}) => {
  await openSynthesis(page, [2, 3], { model: true });
  await page.getByLabel('Samples wanted for k = 2').fill('12');
  await page.getByLabel('Samples wanted for k = 3').fill('8');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Max tokens').fill(process.env.STEPS_E2E_MAX_TOKENS ?? '30');
  // The fixture takes 448 tokens of prompt; its tokenizer counts them in the worker.
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  // The fixture's templated answers resemble each other: a strict threshold makes some of them
  // near duplicates, so the run has discards to list.
  await page.getByLabel('Near-duplicate threshold').fill('0.3');
  await page.getByRole('button', { name: 'Start synthesis' }).click();

  // Reload in the middle of the run.
  await expect.poll(async () => (await storedAttempts(page)).length).toBeGreaterThanOrEqual(6);
  await page.reload();
  await page.goto('/#/synthesis');
  await expect(page.getByRole('heading', { name: /^Run .* · paused$/ })).toBeVisible();
  const beforeResume = await storedAttempts(page);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();

  await expect(page.getByTestId('valid-k2')).toHaveText('12');
  await expect(page.getByTestId('valid-k3')).toHaveText('8');
  const attempts = await storedAttempts(page);
  // No attempt was made twice: indexes run 0, 1, 2, … and the ones stored before the reload are
  // still the same records.
  expect(attempts.map((a) => a.index).sort((a, b) => a - b)).toEqual(attempts.map((_, i) => i));
  expect(attempts.filter((a) => a.status === 'valid')).toHaveLength(20);
  for (const before of beforeResume) {
    expect(attempts.find((a) => a.index === before.index)).toEqual(before);
  }
  await expect(page.getByTestId('run-attempts')).toHaveText(String(attempts.length));

  // Discards are listed with their reasons; every sample shows its provenance.
  const discarded = attempts.filter((a) => a.status === 'discarded');
  expect(discarded.length).toBeGreaterThan(0);
  await expect(page.getByTestId('run-discarded')).toHaveText(String(discarded.length));
  await page.getByText('Every discarded answer, with its raw text').click();
  await expect(page.getByTestId('discards').locator('tbody tr')).toHaveCount(discarded.length);
  await expect(page.getByTestId('discards')).toContainText(describeDiscard(discarded[0].reason!));
  await expect(page.getByTestId('samples').locator('li')).toHaveCount(20);
  await page.getByTestId('samples').locator('li summary').first().click();
  await expect(page.getByTestId('provenance').first()).toContainText('steps-fixture');
  await expect(page.getByTestId('provenance').first()).toContainText('steps-fusion v1');
});

test('the samples wanted take effect in the run, and a note says when combinations are reused', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await openSynthesis(page, [2], { model: true });
  const wanted = page.getByLabel('Samples wanted for k = 2');
  const setLabel = page.locator('label.set').filter({ has: wanted });
  const distinct = Number(/k = 2: (\d+) combinations/.exec((await setLabel.textContent())!)![1]);
  expect(distinct).toBeGreaterThan(0);

  await wanted.fill(String(distinct));
  await expect(page.getByTestId('reuse-note')).toHaveCount(0);
  const target = 2 * distinct + 1;
  await wanted.fill(String(target));
  const reuse = `k = 2: ${target} samples wanted from ${distinct} distinct combination${distinct === 1 ? '' : 's'}, so each is used 2 or 3 times (more when attempts fail)`;
  await expect(page.getByTestId('reuse-note')).toContainText(reuse);

  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · (running|done)$/ })).toBeVisible();
  await expect(page.getByTestId('run-progress')).toContainText(`/ ${target}`);
  await expect(page.getByTestId('run-reuse')).toContainText(reuse);
  const [run] = await readStore<{ spec: { targetPerK: Record<string, number> } }>(
    page,
    'synthesisRuns',
  );
  expect(run.spec.targetPerK).toEqual({ 2: target });
  await page.getByRole('button', { name: 'Cancel run' }).click();
  expect(pageErrors).toEqual([]);
});

test('the skill-coverage gate asks the model about each kept conversation and shows its verdict', async ({
  page,
}) => {
  await openSynthesis(page, [2], { model: true });
  await page.getByLabel('Samples wanted for k = 2').fill('3');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('checkbox', { name: /^skill coverage/ }).check();
  await page.getByLabel('Share of skills covered').fill('0.5');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();

  const attempts = await storedAttempts(page);
  const judged = attempts.filter((a) => (a as { coverage?: unknown }).coverage);
  expect(judged.length).toBeGreaterThan(0);
  // The fixture always finds at least the first skill, so with half of 2 needed samples are kept.
  const valid = attempts.filter((a) => a.status === 'valid');
  expect(valid.length).toBeGreaterThan(0);
  await expect(page.getByTestId('samples').locator('li')).toHaveCount(valid.length);
  await page.getByTestId('samples').locator('li summary').first().click();
  await expect(page.getByTestId('coverage').first()).toContainText(/[12] of 2 judged used/);
  await expect(page.getByTestId('run-discarded')).toHaveText(
    String(attempts.length - valid.length),
  );
});

test('an agentic run asks once per combination whether it suits an agent, and shows the verdicts', async ({
  page,
}) => {
  await openSynthesis(page, [2], { model: true });
  await page.getByLabel('Samples wanted for k = 2').fill('3');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('combobox', { name: /^Task/ }).selectOption('agentic');
  await page.getByRole('checkbox', { name: /suits an agent task/ }).check();
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible();

  type Checked = StoredAttempt & {
    combinationIndex: number;
    agenticCheck?: { suitable: boolean | null; reason: string };
  };
  const attempts = await readStore<Checked>(page, 'generatedSamples');
  const verdicts = attempts.filter((a) => a.agenticCheck && a.agenticCheck.suitable !== null);
  expect(verdicts.length).toBeGreaterThan(0);
  // Never asked twice about one combination once the answer was read.
  const judged = verdicts.map((a) => a.combinationIndex);
  expect(new Set(judged).size).toBe(judged.length);
  const unsuitable = verdicts.filter((a) => a.agenticCheck!.suitable === false);
  if (unsuitable.length > 0) {
    await expect(page.getByTestId('run-progress').locator('..')).toContainText(
      `${unsuitable.length} combination${unsuitable.length === 1 ? '' : 's'} judged unsuited to an agent task`,
    );
    await page.getByText('Every discarded answer, with its raw text').click();
    await expect(page.getByTestId('discards')).toContainText(
      `not suited to an agent task: ${unsuitable[0].agenticCheck!.reason}`,
    );
  }
  const valid = attempts.filter((a) => a.status === 'valid');
  console.log(
    `agentic check: ${verdicts.length} combinations judged, ${unsuitable.length} unsuitable; ` +
      `${valid.length} valid samples in ${attempts.length} attempts`,
  );
  await expect(page.getByTestId('samples').locator('li')).toHaveCount(valid.length);
  if (valid.length > 0) {
    await page.getByTestId('samples').locator('li summary').first().click();
    await expect(page.getByTestId('provenance').first()).toContainText('Agentic check');
  }
});

test('prompt templates are edited as new versions, kept across a reload, and reset', async ({
  page,
}) => {
  await openSynthesis(page, [2], { model: false });

  const editor = page.locator('details.editor').first();
  await expect(editor.locator('summary')).toHaveText('Prompt template: steps-fusion v1');
  await editor.locator('summary').click();
  const user = editor.getByLabel('User');
  await user.fill(`${await user.inputValue()}\nKeep it short.`);
  await editor.getByRole('button', { name: 'Save as new version' }).click();
  await expect(editor.getByRole('status')).toHaveText('Saved as version 2.');

  // A template without its examples is refused, naming what is missing.
  await user.fill('Write a conversation about {{skills}}.');
  await editor.getByRole('button', { name: 'Save as new version' }).click();
  await expect(editor.getByRole('status')).toContainText('missing placeholder {{examples}}');

  await page.reload();
  await page.goto('/#/synthesis');
  await expect(editor.locator('summary')).toHaveText('Prompt template: user-fusion v2');
  await editor.locator('summary').click();
  await expect(editor.getByLabel('User')).toHaveValue(/Keep it short\.$/);

  // The agentic check has its own template, shown when the check is on.
  await page.getByRole('combobox', { name: /^Task/ }).selectOption('agentic');
  await page.getByRole('checkbox', { name: /suits an agent task/ }).check();
  await expect(page.locator('details.editor').nth(1).locator('summary')).toHaveText(
    'Agentic check template: steps-agentic-check v1',
  );
  await page.getByRole('combobox', { name: /^Task/ }).selectOption('fusion');

  await editor.getByRole('button', { name: 'Reset to default' }).click();
  await expect(editor.locator('summary')).toHaveText('Prompt template: steps-fusion v1');
});
