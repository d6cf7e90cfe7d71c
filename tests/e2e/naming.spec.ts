// Naming taxonomy nodes with the fixture model (WASM) in the browser: names are stored as they
// come, a name the user edits survives a reload and a second naming run, and the Combinations
// step shows the stored names. Needs a test build (`vite build --mode test`), which serves the
// fixture model. The fixture answers with one of the skills it is given, so only "a demo skill"
// is asserted of the model's names.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildTaxonomy,
  findCombinations,
  importDemoCorpus,
  loadFixtureModel,
  progressSeen,
  readStore,
  recordProgress,
} from './workflow';

interface StoredName {
  name: string;
  source: 'model' | 'user';
  model?: string;
}

const demoSkills = new Set(
  readFileSync(
    fileURLToPath(new URL('../../public/demo/demo-corpus.jsonl', import.meta.url)),
    'utf8',
  )
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => (JSON.parse(line) as { skills: string[] }).skills),
);

/** The node names stored with the (only) taxonomy, read straight from IndexedDB. */
async function storedNames(page: Page): Promise<Record<string, StoredName>> {
  const [taxonomy] = await readStore<{ nodeNames?: Record<string, StoredName> }>(
    page,
    'taxonomies',
  );
  return taxonomy?.nodeNames ?? {};
}

/** The accessible label of an icicle cell named `name`. */
const labelled = (name: string) =>
  new RegExp(`^Level \\d+: ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, \\d+ skills?$`);

const cell = (page: Page, node: string) =>
  page.locator(`[data-testid=icicle-cell][data-node="${node}"]`).first();

test('the model names the taxonomy nodes; an edited name survives a reload and a second run', async ({
  page,
}) => {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  // Without a model: automatic names, and the way to a model.
  const nameButton = page.getByRole('button', { name: 'Name nodes with the model' });
  await expect(nameButton).toBeDisabled();
  await expect(page.getByTestId('naming-needs-model').getByRole('link')).toHaveAttribute(
    'href',
    '#/model',
  );
  const cells = page.getByTestId('icicle-cell');
  const nodes = [
    ...new Set(await cells.evaluateAll((all) => all.map((g) => g.getAttribute('data-node')!))),
  ];
  expect(nodes.length).toBeGreaterThan(3);

  // A community some combination has in common: its name must show in the Combinations step.
  await page.goto('/#/combinations');
  await findCombinations(page, 3);
  const common = page.getByTestId('common-community').first();
  const edited = (await common.getAttribute('data-node'))!;
  expect(nodes).toContain(edited);

  await loadFixtureModel(page);

  // Cancelled after a few nodes: those names are kept, and the next run goes on from there.
  await page.goto('/#/taxonomy');
  await recordProgress(page);
  await nameButton.click();
  await expect(page.getByTestId('job-progress')).toContainText(
    new RegExp(`naming nodes: ([3-9]|[1-5]\\d) of ${nodes.length}`),
  );
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toContainText('Cancelled. The names given so far are kept');
  const before = Object.keys(await storedNames(page)).length;
  expect(before).toBeGreaterThanOrEqual(3);
  expect(before).toBeLessThan(nodes.length);
  const started = Date.now();
  await nameButton.click();
  await expect(page.getByTestId('naming-summary')).toContainText(
    `${before} named by this model before`,
  );
  const seconds = (Date.now() - started) / 1000;
  const progress = await progressSeen(page);
  expect(progress.join('\n')).toMatch(/ · about \d+ s left/);

  const named = await storedNames(page);
  const modelNamed = Object.keys(named);
  console.log(
    `named ${modelNamed.length} of ${nodes.length} nodes; the run after the cancel took ${seconds.toFixed(1)} s: ${(await page.getByTestId('naming-summary').textContent())!.trim()}`,
  );
  expect(modelNamed.length).toBeGreaterThan(nodes.length / 2);
  for (const [node, given] of Object.entries(named)) {
    expect(given.source).toBe('model');
    expect(given.model).toBe('steps-fixture');
    expect(given.name.trim(), node).not.toBe('');
    await expect(cell(page, node)).toHaveAttribute('aria-label', labelled(given.name));
  }
  // The fixture names a group after one of its skills (now and then with a stray character).
  const skillNamed = Object.values(named).filter((given) => demoSkills.has(given.name));
  expect(skillNamed.length).toBeGreaterThan(modelNamed.length / 2);

  // Edit one node's name; reset another to its automatic name.
  await cell(page, edited).click();
  await expect(page.getByTestId('node-source')).toContainText('by the model steps-fixture');
  await page.getByTestId('node-name').fill('My edited group');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('node-source')).toContainText('by you');
  await expect(cell(page, edited)).toHaveAttribute('aria-label', labelled('My edited group'));
  const reset = modelNamed.find((node) => node !== edited)!;
  await cell(page, reset).click();
  await page.getByRole('button', { name: 'Reset to automatic' }).click();
  await expect(page.getByTestId('node-source')).toContainText('automatically');

  await page.reload();
  await page.goto('/#/taxonomy');
  await expect(cell(page, edited)).toHaveAttribute('aria-label', labelled('My edited group'));
  expect((await storedNames(page))[edited]).toEqual({ name: 'My edited group', source: 'user' });
  expect((await storedNames(page))[reset]).toBeUndefined();

  // A second run (the remembered model loads on its first answer) asks again about the node that
  // was reset and any the model could not name; the edited name stays.
  const unnamed = nodes.length - Object.keys(await storedNames(page)).length;
  await nameButton.click();
  await expect(page.getByTestId('naming-summary')).toContainText(
    new RegExp(`named \\d+ of ${unnamed}\\s+nodes?`),
  );
  await expect(page.getByTestId('naming-summary')).toContainText('1 named by you');
  const after = await storedNames(page);
  expect(after[edited]).toEqual({ name: 'My edited group', source: 'user' });
  expect(after[reset]?.source).toBe('model');
  await expect(cell(page, edited)).toHaveAttribute('aria-label', labelled('My edited group'));

  await page.goto('/#/combinations');
  await page.getByRole('button', { name: 'Find combinations' }).click();
  await expect(
    page.locator(`[data-testid=common-community][data-node="${edited}"]`).first(),
  ).toContainText('My edited group');
});
