// The whole method in the browser with the fixture model: demo corpus → taxonomy → combinations
// → a synthesis run of 20 samples that survives a reload in the middle. Needs a test build
// (`vite build --mode test`), which serves the fixture model.
import { expect, test, type Page } from '@playwright/test';

interface StoredAttempt {
  index: number;
  runId: string;
  status: 'valid' | 'discarded';
  reason: string | null;
}

/** Every attempt stored in IndexedDB, read straight from the database. */
function storedAttempts(page: Page): Promise<StoredAttempt[]> {
  return page.evaluate(
    () =>
      new Promise<StoredAttempt[]>((resolve, reject) => {
        const open = indexedDB.open('steps-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result
            .transaction('generatedSamples')
            .objectStore('generatedSamples')
            .getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as StoredAttempt[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

async function findCombinations(page: Page, k: number) {
  await page.getByLabel('Skills per combination (k)').fill(String(k));
  await page.getByRole('button', { name: 'Find combinations' }).click();
  await expect(page.getByTestId('combinations-summary')).toContainText(
    `combinations of ${k} skills`,
  );
}

test('a synthesis run of 20 samples resumes after a reload and records every attempt once', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.goto('/?e2e=1#/import');
  await page.getByRole('button', { name: 'Import the demo corpus' }).click();
  await expect(page.getByRole('heading', { name: 'Imported demo-corpus.jsonl' })).toBeVisible();

  await page.goto('/?e2e=1#/taxonomy');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-skills')).toBeVisible();
  await page.goto('/?e2e=1#/combinations');
  await findCombinations(page, 2);
  await findCombinations(page, 3);

  await page.goto('/?e2e=1#/model');
  await page.getByTestId('tjs-device').selectOption('wasm');
  await page
    .getByTestId('tjs-model')
    .filter({ hasText: 'STEPS test fixture' })
    .getByRole('button', { name: 'Use' })
    .click();
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText('ready', { timeout: 120_000 });

  await page.goto('/?e2e=1#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill('12');
  await page.getByLabel('Samples wanted for k = 3').fill('8');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Max tokens').fill(process.env.STEPS_E2E_MAX_TOKENS ?? '30');
  // The fixture takes 448 tokens of prompt; its tokenizer counts them in the worker.
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  // The fixture's templated answers resemble each other: a strict threshold makes some of them
  // near duplicates, so the run has discards to list.
  await page.getByLabel('Near-duplicate threshold').fill('0.4');
  await page.getByRole('button', { name: 'Start synthesis' }).click();

  // Reload in the middle of the run.
  await expect
    .poll(async () => (await storedAttempts(page)).length, { timeout: 240_000 })
    .toBeGreaterThanOrEqual(6);
  await page.reload();
  await page.goto('/?e2e=1#/synthesis');
  await expect(page.getByRole('heading', { name: /^Run .* · paused$/ })).toBeVisible();
  const beforeResume = await storedAttempts(page);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible({
    timeout: 400_000,
  });

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
  await expect(page.getByTestId('discards')).toContainText(discarded[0].reason!);
  await expect(page.getByTestId('samples').locator('li')).toHaveCount(20);
  await page.getByTestId('samples').locator('li summary').first().click();
  await expect(page.getByTestId('provenance').first()).toContainText('steps-fixture');
  await expect(page.getByTestId('provenance').first()).toContainText('steps-fusion v1');
});

test('the skill-coverage gate asks the model about each kept conversation and shows its verdict', async ({
  page,
}) => {
  test.setTimeout(400_000);
  await page.goto('/?e2e=1#/import');
  await page.getByRole('button', { name: 'Import the demo corpus' }).click();
  await expect(page.getByRole('heading', { name: 'Imported demo-corpus.jsonl' })).toBeVisible();
  await page.goto('/?e2e=1#/taxonomy');
  await page.getByRole('button', { name: 'Build taxonomy' }).click();
  await expect(page.getByTestId('taxonomy-skills')).toBeVisible();
  await page.goto('/?e2e=1#/combinations');
  await findCombinations(page, 2);
  await page.goto('/?e2e=1#/model');
  await page.getByTestId('tjs-device').selectOption('wasm');
  await page
    .getByTestId('tjs-model')
    .filter({ hasText: 'STEPS test fixture' })
    .getByRole('button', { name: 'Use' })
    .click();
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText('ready', { timeout: 120_000 });

  await page.goto('/?e2e=1#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill('3');
  await page.getByLabel('Temperature').fill('0');
  await page.getByLabel('Prompt budget (tokens)').fill('448');
  await page.getByRole('checkbox', { name: /^skill coverage/ }).check();
  await page.getByLabel('Share of skills covered').fill('0.5');
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · done$/ })).toBeVisible({
    timeout: 300_000,
  });

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
