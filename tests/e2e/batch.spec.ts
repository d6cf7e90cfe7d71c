// A synthesis run answered by a batch server: planned without a local model, its batch plan
// exported, a results file written here by hand (one answer broken, one request left out)
// imported, the attempts shown with their reasons, and a second plan for what is missing.
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import type { BatchRequestLine } from '../../src/core/synthesis/batchPlan';
import { describeDiscard } from '../../src/core/synthesis/discardReason';
import type { SynthesisAttempt } from '../../src/core/synthesis/synthesisRun';
import { buildTaxonomy, findCombinations, importDemoCorpus, readStore } from './workflow';

/** A conversation no other answer resembles. */
function conversation(n: number): string {
  const words = Array.from({ length: 10 }, (_, i) => `w${n}x${i}${'qzjkv'[i % 5]}`);
  return JSON.stringify([
    { role: 'user', content: `Combine ${words.slice(0, 5).join(' ')} please.` },
    { role: 'assistant', content: `Combined: ${words.slice(5).join(', ')}.` },
  ]);
}

function resultLine(customId: string, content: string): string {
  return JSON.stringify({
    id: `batch_req_${customId}`,
    custom_id: customId,
    response: {
      status_code: 200,
      request_id: 'r',
      body: {
        model: 'server-model-2026',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 500, completion_tokens: 80, total_tokens: 580 },
      },
    },
    error: null,
  });
}

test('a batch plan exported, its results imported into the run, and a second plan for the rest', async ({
  page,
}, testInfo) => {
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill('4');
  await page.getByLabel('Model on the batch server').fill('server-model');
  await page.getByRole('button', { name: 'Plan a batch run with these settings' }).click();
  await expect(page.getByRole('heading', { name: /^Run .* · paused$/ })).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export batch plan' }).click();
  const plan = readFileSync((await (await download).path())!, 'utf8');
  const requests = plan
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as BatchRequestLine);
  expect(requests).toHaveLength(4);
  for (const request of requests) {
    expect(request).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'server-model', response_format: { type: 'json_schema' } },
    });
  }
  await expect(page.getByTestId('batch-note')).toContainText('Batch plan: 4 requests');

  // The first answer is no conversation; the last request gets no result at all.
  const results = [
    resultLine(requests[0].custom_id, 'Sorry, I cannot help with that.'),
    resultLine(requests[1].custom_id, conversation(1)),
    resultLine(requests[2].custom_id, conversation(2)),
  ].join('\n');
  const resultsFile = testInfo.outputPath('results.jsonl');
  writeFileSync(resultsFile, results);
  await page.getByTestId('batch-results').setInputFiles(resultsFile);
  await expect(page.getByTestId('batch-recorded')).toHaveText('3');
  await expect(page.getByTestId('batch-missing')).toContainText('1 requests without a result');

  const attempts = await readStore<SynthesisAttempt & { id: string }>(page, 'generatedSamples');
  expect(attempts.map((a) => a.status).sort()).toEqual(['discarded', 'valid', 'valid']);
  expect(attempts.map((a) => a.batch?.requestId).sort()).toEqual(
    requests
      .slice(0, 3)
      .map((r) => r.custom_id)
      .sort(),
  );
  const discarded = attempts.find((a) => a.status === 'discarded')!;
  expect(discarded.reason).toMatchObject({ code: 'unparseable' });
  const kept = attempts.filter((a) => a.status === 'valid');
  for (const attempt of kept) {
    expect(attempt.sample!.model).toEqual({ id: 'server-model-2026', engine: 'batch' });
  }

  // The run shows the attempts with their reasons and provenance.
  await expect(page.getByTestId('valid-k2')).toHaveText('2');
  await expect(page.getByTestId('run-attempts')).toHaveText('3');
  await page.getByText('Every discarded answer, with its raw text').click();
  await expect(page.getByTestId('discards')).toContainText(describeDiscard(discarded.reason!));
  await expect(page.getByTestId('samples').locator('li')).toHaveCount(2);
  await page.getByTestId('samples').locator('li summary').first().click();
  await expect(page.getByTestId('provenance').first()).toContainText('server-model-2026');

  // A second plan asks for what is still missing: 2 more kept samples.
  const second = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export batch plan' }).click();
  const secondPlan = readFileSync((await (await second).path())!, 'utf8')
    .trim()
    .split('\n');
  expect(secondPlan).toHaveLength(2);
});
