// The browser half of `npm run bench:model` (bench/model.bench.ts runs it through
// bench/playwright.config.ts): SmolLM2-135M-Instruct's .gguf through wllama (WASM) in Debian's
// Chromium, driven through the app itself on the demo corpus: taxonomy, k = 2 combinations, the
// file picked on the Model page, and synthesis runs with the Synthesis step's settings set to
// the CLI half's (temperature 0.3, frequency penalty 0.5, top_p 1, 384 tokens, prompt budget 600,
// seed 7, three tries), constrained and unconstrained. Once on a host without COOP/COEP (one
// thread), once with them (cross-origin isolated: wllama takes a thread per core). Each run stops
// after STEPS_BENCH_ATTEMPTS attempts; its figures come from what the app stored: the valid share
// of the attempts, the seconds per valid sample (wall time), and the tokens per second of the
// valid samples' usage records (discarded attempts keep none). Writes bench/out/model-browser.json.
import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import {
  buildTaxonomy,
  findCombinations,
  importDemoCorpus,
  readStore,
} from '../../tests/e2e/workflow';
import { groupDiscardReasons } from '../../src/core/synthesis/discardReason';
import type { SynthesisAttempt } from '../../src/core/synthesis/synthesisRun';
import { wllamaDeviceLabel, wllamaThreads } from '../../src/llm/wllamaModels';
import type { BenchRunFigures } from '../modelFigures';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = process.env.STEPS_BENCH_DIST ?? 'dist';
const attemptsPerRun = Number(process.env.STEPS_BENCH_ATTEMPTS ?? 10);
const modelFile = fileURLToPath(
  new URL('../../.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf', import.meta.url),
);

type StoredAttempt = Pick<SynthesisAttempt, 'runId' | 'status' | 'reason' | 'sample'>;

/**
 * Cores the page reports when isolated: the app gives wllama half of them (wllamaThreads), so a
 * two-core machine would get one thread; four makes it two, one per core here.
 */
const reportedCores = Math.max(4, availableParallelism() * 2);

const figures: BenchRunFigures[] = [];

test.afterAll(() => {
  const out = fileURLToPath(new URL('../out/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}model-browser.json`, `${JSON.stringify(figures, null, 2)}\n`);
});

async function synthesise(
  page: Page,
  output: BenchRunFigures['output'],
): Promise<{ runId: string; seconds: number }> {
  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill(String(attemptsPerRun));
  await page.getByLabel('Temperature').fill('0.3');
  await page.getByLabel('Frequency penalty').fill('0.5');
  await page.getByLabel('top_p').fill('1');
  await page.getByLabel('Max tokens').fill('384');
  await page.getByLabel('Prompt budget').fill('600');
  await page.getByLabel('Seed').fill('7');
  await page.getByLabel('Tries per combination').fill('3');
  await page.getByLabel('discard samples too similar').setChecked(false);
  await page.getByLabel('constrained output').setChecked(output === 'constrained');
  const started = performance.now();
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  const heading = page.getByRole('heading', { name: /^Run .* · \w+$/ });
  await expect(heading).toHaveText(/· (running|done)$/);
  // Stop at the attempt count (the run may end sooner, with every valid sample it wanted).
  await expect
    .poll(
      async () =>
        /· done$/.test((await heading.textContent()) ?? '') ||
        Number(await page.getByTestId('run-attempts').textContent()) >= attemptsPerRun,
      // No limit: an attempt may take minutes on a busy machine.
      { intervals: [200], timeout: 0 },
    )
    .toBe(true);
  const seconds = (performance.now() - started) / 1000;
  if (/· running$/.test((await heading.textContent()) ?? '')) {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(heading).toHaveText(/· paused$/, { timeout: 0 });
  }
  const runs = await readStore<{ id: string; spec: { unconstrained?: boolean } }>(
    page,
    'synthesisRuns',
  );
  const run = runs.find((r) => (r.spec.unconstrained ?? false) === (output === 'unconstrained'))!;
  return { runId: run.id, seconds };
}

for (const isolated of [false, true]) {
  test(`wllama in Chromium, ${isolated ? 'cross-origin isolated' : 'not isolated'}`, async ({
    browser,
  }) => {
    test.skip(!existsSync(modelFile), `needs ${modelFile}: run \`node scripts/test-model.mjs\``);
    test.skip(!existsSync(`${root}/${dist}/index.html`), `needs a build in ${dist}/`);
    const server = await preview({
      root,
      logLevel: 'warn',
      build: { outDir: dist },
      preview: {
        host: '127.0.0.1',
        port: 0,
        headers: isolated
          ? {
              'Cross-Origin-Opener-Policy': 'same-origin',
              'Cross-Origin-Embedder-Policy': 'require-corp',
            }
          : {},
      },
    });
    // No service worker: isolation comes from the host's headers only, or not at all.
    const context = await browser.newContext({
      baseURL: server.resolvedUrls!.local[0],
      serviceWorkers: 'block',
    });
    if (isolated) {
      await context.addInitScript((cores) => {
        Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => cores });
      }, reportedCores);
    }
    const page = await context.newPage();
    const threads = wllamaThreads(isolated, isolated ? reportedCores : availableParallelism());
    try {
      await page.goto('/');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
      await importDemoCorpus(page);
      await buildTaxonomy(page);
      await page.goto('/#/combinations');
      await findCombinations(page, 2);
      await page.goto('/#/model');
      await page.getByTestId('gguf-device').selectOption('wasm');
      await page.getByTestId('gguf-file').setInputFiles(modelFile);
      await page.getByRole('button', { name: 'Download and load' }).click();
      await expect(page.getByTestId('engine-status')).toHaveText('ready');

      for (const output of ['constrained', 'unconstrained'] as const) {
        const { runId, seconds } = await synthesise(page, output);
        const attempts = (await readStore<StoredAttempt>(page, 'generatedSamples')).filter(
          (attempt) => attempt.runId === runId,
        );
        const valid = attempts.filter((a) => a.status === 'valid');
        let promptTokens = 0;
        let promptSeconds = 0;
        let generatedTokens = 0;
        let generationSeconds = 0;
        for (const { sample } of valid) {
          const {
            promptTokens: prompt,
            completionTokens,
            timeToFirstTokenMs,
            tokensPerSecond,
          } = sample!.usage;
          if (timeToFirstTokenMs === null || !tokensPerSecond) continue;
          const firstToken = timeToFirstTokenMs / 1000;
          promptTokens += prompt;
          promptSeconds += firstToken;
          generatedTokens += Math.max(0, completionTokens - 1);
          generationSeconds += completionTokens / tokensPerSecond - firstToken;
        }
        figures.push({
          target: `browser · wllama · ${wllamaDeviceLabel('wasm', threads)}`,
          output,
          attempts: attempts.length,
          valid: valid.length,
          validShare: valid.length / attempts.length,
          secondsPerValidSample: seconds / valid.length,
          promptTokensPerSecond: promptTokens / promptSeconds,
          generationTokensPerSecond: generatedTokens / generationSeconds,
          discarded: groupDiscardReasons(
            attempts.filter((a) => a.status === 'discarded').map((a) => a.reason),
          ),
        });
        // Each run as it ends: a long benchmark shows its figures before the last run.
        console.log(JSON.stringify(figures.at(-1)));
      }
    } finally {
      await context.close();
      await server.close();
    }
  });
}
