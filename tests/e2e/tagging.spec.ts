// Tagging an untagged corpus in the browser with the fixture model: Alpaca (no skill tags) →
// Skills step → a tagging run that survives a reload in the middle → saved as a new, tagged
// corpus, with the source left as it was. Needs a test build (`vite build --mode test`), which
// serves the fixture model.
import { expect, test, type Page } from '@playwright/test';
import type { CorpusRecord } from '../../src/storage/types';
import { sharedPath } from '../sharedData';
import type { StorageTestHook } from './hooks/storageHook';
import { buildTaxonomy, loadFixtureModel, readStore } from './workflow';

const SAMPLES = Number(process.env.STEPS_E2E_TAG_SAMPLES ?? 16);

interface StoredAttempt {
  id: string;
  index: number;
  runId: string;
  sampleId: string;
  status: 'tagged' | 'failed';
  reason: string | null;
  rawOutput: string;
  tags: string[] | null;
  createdAt: string;
}

/** Every tagging attempt stored in IndexedDB. */
const storedAttempts = (page: Page) => readStore<StoredAttempt>(page, 'taggingAttempts');

function storage(page: Page) {
  return {
    corpora: () =>
      page.evaluate(() =>
        (globalThis as unknown as { __stepsStorage: StorageTestHook }).__stepsStorage.listCorpora(),
      ),
    samples: (corpusId: string) =>
      page.evaluate(async (corpusId) => {
        const hook = (globalThis as unknown as { __stepsStorage: StorageTestHook }).__stepsStorage;
        const all: { id: string; skills: string[]; source: string; messages: unknown }[] = [];
        await hook.iterateSamples(corpusId, (batch) => void all.push(...batch));
        return {
          samples: all.map(({ id, skills, source, messages }) => ({
            id,
            skills,
            source,
            messages,
          })),
          skills: await hook.listSkills(corpusId),
        };
      }, corpusId),
  };
}

test('tags the first samples of Alpaca, resumes after a reload, and saves a new tagged corpus', async ({
  page,
}) => {
  await page.goto('/#/import');
  await page
    .getByTestId('corpus-file')
    .setInputFiles(sharedPath('data', 'alpaca_5000', 'alpaca_5000.json'));
  await expect(page.getByTestId('detected-shape')).toHaveText('alpaca');
  await page.getByRole('button', { name: 'Import alpaca_5000.json' }).click();
  await expect(page.getByTestId('stat-kept')).toHaveText(/^5\D?000$/);
  const [source] = await storage(page).corpora();
  expect(source).toMatchObject({ name: 'alpaca_5000.json', stats: { tagged: 0 } });

  // Without a model the step says how to get one.
  await page.goto('/#/skills');
  await expect(page.getByText('alpaca_5000.json has no skill tags.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Choose a model' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start tagging' })).toBeDisabled();

  await loadFixtureModel(page);

  await page.goto('/#/skills');
  await expect(page.getByTestId('tagging-model')).toContainText('STEPS test fixture');
  await page.getByLabel('Number of samples').fill(String(SAMPLES));
  await page.getByLabel('Temperature').fill('0');
  // The fixture answers a tag list in under a dozen tokens; 24 leaves room for longer ones.
  await page.getByLabel('Max tokens').fill('24');
  // The fixture takes 448 tokens of prompt; its tokenizer counts them in the worker.
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  const started = Date.now();
  await page.getByRole('button', { name: 'Start tagging' }).click();

  // Reload in the middle of the run: it comes back paused, nothing lost.
  await expect
    .poll(async () => (await storedAttempts(page)).length, { intervals: [50] })
    .toBeGreaterThanOrEqual(3);
  await page.reload();
  const beforeResume = await storedAttempts(page);
  expect(beforeResume.length).toBeLessThan(SAMPLES);
  await page.goto('/#/skills');
  await expect(page.getByRole('heading', { name: /^Tagging run .* · paused$/ })).toBeVisible();
  await expect(page.getByTestId('tagging-attempts')).toHaveText(String(beforeResume.length));
  const resumed = Date.now();
  await page.getByRole('button', { name: 'Resume' }).click();
  // Once a sample has finished at this session's pace, the time left shows; Pause stops after the
  // answer in flight, Resume goes on.
  const timeLeft = / of \d+ samples · about .+ left/;
  await expect(page.getByTestId('tagging-progress')).toContainText(timeLeft);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('heading', { name: /^Tagging run .* · paused$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('heading', { name: /^Tagging run .* · done$/ })).toBeVisible();
  const finished = Date.now();

  // Every attempt index once; at temperature 0 one attempt per sample, the first N in order.
  const attempts = (await storedAttempts(page)).sort((a, b) => a.index - b.index);
  expect(attempts.map((a) => a.index)).toEqual(attempts.map((_, i) => i));
  const sourceData = await storage(page).samples(source.id);
  expect(attempts.map((a) => a.sampleId)).toEqual(
    sourceData.samples.slice(0, SAMPLES).map((s) => s.id),
  );
  for (const before of beforeResume) {
    expect(attempts.find((a) => a.index === before.index)).toEqual(before);
  }
  const tagged = attempts.filter((a) => a.status === 'tagged');
  const failed = attempts.filter((a) => a.status === 'failed');
  expect(tagged.length).toBeGreaterThan(0);
  await expect(page.getByTestId('tagging-tagged')).toHaveText(String(tagged.length));
  await expect(page.getByTestId('tagging-failed')).toHaveText(String(failed.length));
  await expect(page.getByTestId('tagging-progress')).toContainText(
    `${SAMPLES} of ${SAMPLES} samples`,
  );
  await expect(page.getByTestId('tagging-vocabulary').locator('tbody tr').first()).toBeVisible();
  if (failed.length > 0) {
    const rows = page.getByTestId('tagging-failures').locator('tbody tr');
    await expect(rows).toHaveCount(failed.length);
    await expect(rows.first()).toContainText(failed[0].reason!);
  }
  // Pace on WASM: attempts are stamped as they start, so the gaps after the first resumed one
  // are one sample each (the first includes loading the model again after the reload).
  const gaps = attempts
    .slice(beforeResume.length + 1)
    .map(
      (a, i) => Date.parse(a.createdAt) - Date.parse(attempts[beforeResume.length + i].createdAt),
    )
    .sort((a, b) => a - b);
  console.log(
    `tagging ${SAMPLES} samples on WASM: ${beforeResume.length} before the reload; ` +
      `median ${(gaps[gaps.length >> 1] / 1000).toFixed(2)} s a sample after resuming; ` +
      `${((finished - resumed) / 1000).toFixed(1)} s from Resume to done (model reload included), ` +
      `${((finished - started) / 1000).toFixed(1)} s from Start; ` +
      `${tagged.length} tagged, ${failed.length} failed`,
  );

  // Saved as a new corpus, which becomes the current one and lists its skills.
  await page.getByRole('button', { name: 'Save as tagged corpus' }).click();
  const name = 'alpaca_5000.json · tagged by steps-fixture';
  await expect(page.getByRole('heading', { name: `Skills of ${name}` })).toBeVisible();
  await expect(page.getByTestId('tagged-from')).toContainText('steps-fixture');
  const corpora = await storage(page).corpora();
  const copy = corpora.find((c) => c.name === name) as CorpusRecord;
  const result = await storage(page).samples(copy.id);
  expect(copy).toMatchObject({
    status: 'ready',
    tagField: null,
    taggedFrom: { corpusId: source.id, corpusName: 'alpaca_5000.json', runId: attempts[0].runId },
    stats: { rows: tagged.length, kept: tagged.length, tagged: tagged.length },
  });
  expect(copy.stats!.skills).toBe(result.skills.length);
  expect(result.samples.map((s) => s.id)).toEqual(tagged.map((a) => a.sampleId));
  for (const sample of result.samples) expect(sample.skills.length).toBeGreaterThan(0);
  const skillRows = page
    .getByRole('table', { name: 'Skills' })
    .getByRole('rowgroup')
    .getByRole('row');
  await expect(skillRows).toHaveCount(result.skills.length);
  await expect(
    skillRows.getByRole('button', { name: result.skills[0].name, exact: true }),
  ).toBeVisible();

  // The source is unchanged: same record, no skills, its samples untagged.
  const sourceAfter = corpora.find((c) => c.id === source.id);
  expect(sourceAfter).toEqual(source);
  const sourceAfterData = await storage(page).samples(source.id);
  expect(sourceAfterData).toEqual(sourceData);
  expect(sourceData.samples).toHaveLength(5000);
  expect(sourceData.skills).toEqual([]);
  expect(sourceData.samples.every((s) => s.skills.length === 0)).toBe(true);
  const copied = new Map(sourceData.samples.map((s) => [s.id, s]));
  for (const sample of result.samples) {
    expect(sample.messages).toEqual(copied.get(sample.id)!.messages);
    expect(sample.source).toBe(copied.get(sample.id)!.source);
  }

  await page.goto('/#/import');
  await expect(page.getByTestId('corpus-item')).toHaveCount(2);
  await expect(page.getByTestId('corpus-item').filter({ hasText: name })).toContainText('current');

  // The tagged corpus goes on through the method: a taxonomy of the model's tags.
  await buildTaxonomy(page);
  await expect(page.getByTestId('taxonomy-skills')).toHaveText(String(result.skills.length));
  await page.goto('/#/import');

  // Back on the source, a run whose answers are cut by max_tokens lists each failure with its
  // reason and raw output, and has nothing to save.
  await page
    .getByTestId('corpus-item')
    .filter({ hasText: /^alpaca_5000\.json/ })
    .getByRole('button', { name: 'Work on this' })
    .click();
  await page.goto('/#/skills');
  await page.getByText('Start another run with other settings').click();
  await page.getByLabel('Number of samples').fill('2');
  await page.getByLabel('Max tokens').fill('1');
  await page.getByRole('button', { name: 'Start tagging' }).click();
  await expect(page.getByRole('heading', { name: /^Tagging run .* · done$/ })).toBeVisible();
  const rows = page.getByTestId('tagging-failures').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    await expect(row).toContainText('the answer stopped at max_tokens (1), raise it');
    await expect(row.locator('pre')).not.toBeEmpty();
  }
  await expect(page.getByRole('button', { name: 'Save as tagged corpus' })).toBeDisabled();
});
