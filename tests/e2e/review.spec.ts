// The Review step in Chromium: a run's samples reviewed by keyboard only (two rejected, one
// edited, the rest of a filter accepted in bulk), the reviews kept across a reload, the edited
// sample's original on request, what an export writes (through the storage hook, then in the
// downloaded zip: the rejected samples absent), and the reviews gone with their corpus. Needs a
// test build (`vite build --mode test`): the fixture model writes the samples.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { StoredAttempt } from '../../src/storage/synthesisStore';
import type { ReviewRecord } from '../../src/storage/types';
import type { StorageTestHook } from './hooks/storageHook';
import { rowStates, synthesiseSamples } from './reviewWorkflow';
import { readStore } from './workflow';
import { readZip } from '../unit/core/export/zipReader';

const SAMPLES = 6;
const EDITED = 'An edited question, written by the reviewer.';

/** The storage hook the test build puts on the page. */
interface PageGlobals {
  __stepsStorage: StorageTestHook;
}

test('samples are reviewed by keyboard, kept across a reload, and left out of the downloaded zip when rejected', async ({
  page,
}) => {
  await synthesiseSamples(page, SAMPLES);
  const attempts = await readStore<StoredAttempt>(page, 'generatedSamples');
  const generated = attempts
    .filter((a) => a.status === 'valid')
    .sort((a, b) => a.index - b.index)
    .map((a) => a.sample!);
  expect(generated).toHaveLength(SAMPLES);

  await page.goto('/#/review');
  const summary = page.getByTestId('review-summary');
  await expect(summary).toContainText(
    `${SAMPLES} samples: 0 accepted, 0 rejected, 0 edited, ${SAMPLES} unreviewed.`,
  );
  await expect(page.getByLabel('Keyboard shortcuts')).toContainText('j / ↓ next sample');
  const detail = page.getByTestId('review-detail');
  await expect(detail.getByRole('heading', { name: `Sample 1 of ${SAMPLES}` })).toBeVisible();
  // The first sample beside the corpus examples it was made from, and its provenance.
  const first = generated[0];
  const sources = page.getByTestId('review-sources');
  for (const id of first.atomicSampleIds) await expect(sources).toContainText(id);
  await expect(sources.getByRole('list', { name: /^Corpus example / })).toHaveCount(
    first.atomicSampleIds.length,
  );
  const provenance = page.getByTestId('review-provenance');
  await expect(provenance).toContainText(first.runId);
  await expect(provenance).toContainText(`${first.model.id} (${first.model.engine})`);
  await expect(provenance).toContainText(first.skills.join(' + '));

  // Keyboard only: reject the first two, edit the third, look at the fourth and back.
  await page.keyboard.press('r');
  await expect(detail.getByRole('heading', { name: `Sample 2 of ${SAMPLES}` })).toBeVisible();
  await page.keyboard.press('r');
  await expect(detail.getByRole('heading', { name: `Sample 3 of ${SAMPLES}` })).toBeVisible();
  await page.keyboard.press('j');
  await expect(detail.getByRole('heading', { name: `Sample 4 of ${SAMPLES}` })).toBeVisible();
  await page.keyboard.press('k');
  await expect(detail.getByRole('heading', { name: `Sample 3 of ${SAMPLES}` })).toBeVisible();
  await page.keyboard.press('e');
  const editor = page.getByRole('form', { name: 'Edit the conversation' });
  const firstField = editor.getByRole('textbox').first();
  await expect(firstField).toBeFocused();
  // Escape cancels without a trace.
  await page.keyboard.type('typed, then cancelled');
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await page.keyboard.press('e');
  await expect(firstField).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(EDITED);
  await page.keyboard.press('Control+Enter');
  await expect(editor).toBeHidden();
  await expect(page.getByTestId('review-state')).toHaveText('edited');
  await expect(detail.getByRole('list', { name: 'Conversation', exact: true })).toContainText(
    EDITED,
  );
  await expect(summary).toContainText('0 accepted, 2 rejected, 1 edited, 3 unreviewed.');

  // The rest of the unreviewed filter, accepted in bulk after confirming the count.
  await page.getByRole('combobox', { name: 'Review', exact: true }).selectOption('unreviewed');
  await expect(page.getByTestId('review-shown')).toHaveText(`Showing 3 of ${SAMPLES} samples.`);
  await page.getByRole('button', { name: 'Accept all in this filter…' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bulk-question')).toHaveText(
    'Accept all 3 samples in this filter?',
  );
  await expect(page.getByRole('button', { name: 'Accept 3 samples' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(summary).toContainText('3 accepted, 2 rejected, 1 edited, 0 unreviewed.');
  await expect(page.getByTestId('review-shown')).toHaveText(`Showing 0 of ${SAMPLES} samples.`);

  // After a reload, the same states.
  await page.reload();
  await expect(summary).toContainText('3 accepted, 2 rejected, 1 edited, 0 unreviewed.');
  await expect
    .poll(() => rowStates(page))
    .toEqual(['rejected', 'rejected', 'edited', 'accepted', 'accepted', 'accepted']);
  // The edited sample shows its original on request.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(detail.getByRole('heading', { name: `Sample 3 of ${SAMPLES}` })).toBeVisible();
  await expect(detail.getByRole('list', { name: 'Conversation', exact: true })).toContainText(
    EDITED,
  );
  await expect(page.getByTestId('review-original')).toBeHidden();
  await page.keyboard.press('o');
  const original = page.getByRole('list', { name: 'Original conversation', exact: true });
  await expect(original).toContainText(generated[2].messages[0].content);
  await expect(original).not.toContainText(EDITED);

  // Stored: one review per sample; the edit beside the original, which its run keeps unchanged.
  const reviews = await readStore<ReviewRecord>(page, 'reviews');
  expect(reviews).toHaveLength(SAMPLES);
  const edited = reviews.find((review) => review.sampleId === generated[2].id)!;
  expect(edited.edits).toHaveLength(1);
  expect(edited.edits[0].messages[0].content).toBe(EDITED);
  expect(edited.edits[0].messages.slice(1)).toEqual(generated[2].messages.slice(1));
  const after = await readStore<StoredAttempt>(page, 'generatedSamples');
  expect(after.find((a) => a.sample?.id === generated[2].id)?.sample).toEqual(generated[2]);

  // What an export writes: the rejected samples absent, the edited one as edited.
  const exported = await page.evaluate(async () => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const corpus = (await storage.listCorpora())[0];
    const reviewsOf = await storage.listReviews(corpus.id);
    const runIds = [...new Set(reviewsOf.map((review) => review.runId))];
    return storage.samplesForExport(corpus.id, runIds);
  });
  expect(exported.review).toEqual({ accepted: 3, rejected: 2, edited: 1, unreviewed: 0 });
  expect(exported.samples.map((sample) => sample.id)).toEqual(
    generated.slice(2).map((sample) => sample.id),
  );
  expect(exported.samples[0].messages[0].content).toBe(EDITED);

  // The downloaded zip agrees: the rejected samples absent, the edit in, the outcome in the manifest.
  await page.goto('/#/dataset');
  await expect(page.getByTestId('dataset-summary')).toContainText('valid samples');
  await page.getByLabel('Include provenance (under "steps")').check();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .zip' }).click();
  const file = await download;
  const files = readZip(new Uint8Array(readFileSync((await file.path())!)));
  const root = file.suggestedFilename().replace(/\.zip$/, '');
  const lines = new TextDecoder()
    .decode(files.get(`${root}/openai/train-00000.jsonl`))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { messages: { content: string }[]; steps: { id: string } });
  expect(lines.map((line) => line.steps.id)).toEqual(generated.slice(2).map((sample) => sample.id));
  expect(lines[0].messages[0].content).toBe(EDITED);
  const manifest = JSON.parse(new TextDecoder().decode(files.get(`${root}/manifest.json`))) as {
    review: unknown;
  };
  expect(manifest.review).toEqual({ accepted: 3, rejected: 2, edited: 1, unreviewed: 0 });

  // Deleting the corpus deletes its reviews.
  await page.evaluate(async () => {
    const storage = (globalThis as unknown as PageGlobals).__stepsStorage;
    const corpus = (await storage.listCorpora())[0];
    await storage.deleteCorpus(corpus.id);
  });
  expect(await readStore<ReviewRecord>(page, 'reviews')).toEqual([]);
});
