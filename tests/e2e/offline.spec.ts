// The production build as a static host serves it, with no COOP or COEP header of its own: after
// one online visit the app opens and works with no network (every request served by its
// service worker, src/sw.ts): SmolLM2's .gguf, picked from disk, synthesises samples on the demo
// corpus through wllama, constrained and unconstrained, and the dataset downloads. The worker
// makes the page cross-origin isolated, and a new version deployed later is offered with "Reload
// to update". The build is made here, in a folder of its own, and served by `vite preview` on a
// free port; the other specs keep the test build.
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
  type Request,
} from '@playwright/test';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { describeDiscard, type DiscardReason } from '../../src/core/synthesis/discardReason';
import { readZip } from '../unit/core/export/zipReader';
import { buildTaxonomy, findCombinations, importDemoCorpus, readStore } from './workflow';

const root = fileURLToPath(new URL('../..', import.meta.url));
let outDir: string;
let server: PreviewServer;
let origin: string;

test.beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'steps-offline-'));
  // Vite builds for production only when NODE_ENV is unset or "production".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root,
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true },
  });
  origin = server.resolvedUrls!.local[0];
});

test.afterAll(async () => {
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** A fresh context on the production build: no service worker, cache or database yet. */
async function openProductionBuild(browser: Browser) {
  const context = await browser.newContext({ baseURL: origin, serviceWorkers: 'allow' });
  const page = await context.newPage();
  return { context, page };
}

/**
 * Opens the app online and waits until its service worker controls the page. The worker
 * activates only after it has cached every file of the build (src/sw.ts), so from then on the
 * app can open offline.
 */
async function visitOnline(page: Page): Promise<void> {
  const response = await page.goto('/');
  // The host sends no isolation headers: isolation can only come from the service worker.
  const headers = await response!.allHeaders();
  expect(headers['cross-origin-opener-policy']).toBeUndefined();
  expect(headers['cross-origin-embedder-policy']).toBeUndefined();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Every request the page, its workers or its service worker make from now on. */
function recordRequests(context: BrowserContext): Request[] {
  const requests: Request[] = [];
  context.on('request', (request) => requests.push(request));
  return requests;
}

/** The requests that reached the network: all but those the service worker answered itself. */
async function reachedNetwork(requests: Request[]): Promise<string[]> {
  const escaped: string[] = [];
  for (const request of requests) {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) continue;
    const response = await request.response();
    // A request the service worker sends goes to the network; one it answers does not.
    if (request.serviceWorker() !== null || !response?.fromServiceWorker()) escaped.push(url);
  }
  return escaped;
}

test("the service worker caches every file of the build at install, WebLLM's code included", async () => {
  const worker = await readFile(join(outDir, 'sw.js'), 'utf8');
  // vite-plugin-pwa writes the list into the worker as a JSON array of {revision, url}.
  const listed = JSON.parse(/\[\{"revision".*?\}\]/s.exec(worker)![0]) as { url: string }[];
  const emitted = (await readdir(outDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(outDir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    // Source maps, the worker itself and the demo's notes are not needed to run the app.
    .filter((file) => !file.endsWith('.map') && file !== 'sw.js' && file !== 'demo/SOURCE.md');
  expect(listed.map((entry) => entry.url).sort()).toEqual(emitted.sort());

  const atInstall = listed.map((entry) => entry.url);
  for (const name of ['import', 'taxonomy', 'combinations', 'llm', 'webLlm']) {
    expect(atInstall.filter((url) => url.startsWith(`assets/${name}.worker-`))).toHaveLength(1);
  }
  const wasm = emitted.filter((file) => file.endsWith('.wasm'));
  expect(wasm.some((file) => /\/ort-wasm-simd-threaded\.asyncify-.*\.wasm$/.test(file))).toBe(true);
  expect(atInstall).toEqual(
    expect.arrayContaining([...wasm, 'index.html', 'demo/demo-corpus.jsonl']),
  );
});

const modelFile = fileURLToPath(
  new URL('../../.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf', import.meta.url),
);

/** SmolLM2's .gguf picked on the Model page and loaded by wllama on the processor. */
async function loadPickedModel(page: Page): Promise<void> {
  await page.goto('/#/model');
  await page.getByTestId('gguf-device').selectOption('wasm');
  await page.getByTestId('gguf-file').setInputFiles(modelFile);
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText('ready');
}

interface StoredAttempt {
  runId: string;
  status: 'valid' | 'discarded';
  // Attempts of this run have typed reasons (text ones are from older runs).
  reason: DiscardReason | null;
  rawOutput: string;
}

interface RunFigures {
  attempts: number;
  valid: number;
  /** Attempts the model answered (not those stopped before asking it, e.g. by the budget). */
  answered: number;
  /** Answers that parsed as a conversation. */
  parsed: number;
  /** The parser's words on each answer that did not parse, and the raw answer's length. */
  problems: string[];
}

/**
 * The size of the offline synthesis runs. wllama runs SmolLM2 at a fraction of native speed here
 * (one WebAssembly thread on two cores: README.md, "Model speed here"), tens of seconds an
 * attempt, so `npm test` runs a short flow (3 samples constrained, then one unconstrained
 * attempt, short prompts and answers) and STEPS_E2E_OFFLINE_SAMPLES=10 the flow of issue 11 at
 * full size (10 and 10, the prompt budget and answer length of `npm run bench:model`). The short
 * flow's unconstrained attempt shows that path works offline; how often it gives a valid sample
 * only a full-size run can say.
 */
const offlineSamples = Number(process.env.STEPS_E2E_OFFLINE_SAMPLES ?? 3);
const fullSize = offlineSamples >= 10;
const runSettings = fullSize
  ? { maxTokens: '384', promptBudget: '600' }
  : { maxTokens: '160', promptBudget: '520' };

/**
 * Synthesises `wanted` samples of k = 2 (constrained or not) and counts the run's attempts. With
 * `attemptsAtMost`, the run is paused after that many attempts (an unconstrained small model may
 * rarely write a valid sample, and its run would try every combination before giving up).
 */
async function synthesise(
  page: Page,
  {
    wanted,
    constrained,
    attemptsAtMost,
  }: { wanted: number; constrained: boolean; attemptsAtMost?: number },
): Promise<RunFigures> {
  await page.goto('/#/synthesis');
  await page.getByLabel('Samples wanted for k = 2').fill(String(wanted));
  await page.getByLabel('Max tokens').fill(runSettings.maxTokens);
  // What a 135M model needs to stay out of repetition loops ("1.1.1.1…", runs of emoji) that run
  // into the token limit: a low temperature and a frequency penalty (README.md, "Model speed here").
  await page.getByLabel('Temperature').fill('0.3');
  await page.getByLabel('Frequency penalty').fill('0.5');
  await page.getByLabel('Prompt budget').fill(runSettings.promptBudget);
  // One try per combination: a run of a model that rarely answers well gives up sooner.
  await page.getByLabel('Tries per combination').fill('1');
  await page.getByLabel('constrained output').setChecked(constrained);
  await page.getByRole('button', { name: 'Start synthesis' }).click();
  const heading = page.getByRole('heading', { name: /^Run .* · \w+$/ });
  await expect(heading).toHaveText(/· (running|done)$/);
  // An attempt takes tens of seconds on the processor: the test's time limit bounds the run.
  await expect
    .poll(
      async () =>
        /· done$/.test((await heading.textContent()) ?? '') ||
        Number(await page.getByTestId('run-attempts').textContent()) >=
          (attemptsAtMost ?? Infinity),
      { intervals: [500], timeout: 0 },
    )
    .toBe(true);
  if (/· running$/.test((await heading.textContent()) ?? '')) {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(heading).toHaveText(/· paused$/, { timeout: 0 });
  }
  const [run] = (
    await readStore<{ id: string; spec: { unconstrained?: boolean } }>(page, 'synthesisRuns')
  ).filter((record) => (record.spec.unconstrained ?? false) === !constrained);
  const attempts = (await readStore<StoredAttempt>(page, 'generatedSamples')).filter(
    (attempt) => attempt.runId === run.id,
  );
  const notAsked = new Set(['prompt-budget', 'no-atomic-sample']);
  const answered = attempts.filter((a) => !notAsked.has(a.reason?.code ?? ''));
  const unparsed = answered.filter((a) => a.reason?.code === 'unparseable');
  return {
    attempts: attempts.length,
    valid: attempts.filter((a) => a.status === 'valid').length,
    answered: answered.length,
    parsed: answered.length - unparsed.length,
    problems: unparsed.map(
      (a) => `${describeDiscard(a.reason!)} (${a.rawOutput.length} characters)`,
    ),
  };
}

/** Downloads the dataset as its zip and returns the lines of its OpenAI-messages JSONL, parsed. */
async function exportDataset(page: Page): Promise<{ messages: unknown[] }[]> {
  await page.goto('/#/dataset');
  const summary = page.getByTestId('dataset-summary');
  await expect(summary).toContainText('valid samples');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .zip' }).click();
  const files = readZip(new Uint8Array(await readFile((await (await download).path())!)));
  const jsonl = [...files].find(([name]) => name.endsWith('/openai/train-00000.jsonl'))![1];
  const lines = new TextDecoder()
    .decode(jsonl)
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { messages: unknown[] });
  expect(`${lines.length} valid samples`).toBe((await summary.textContent())!.trim());
  return lines;
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)} %`;

/** The run's valid-sample and parse rates, in the test's output. */
function printFigures(name: string, run: RunFigures): void {
  console.log(
    `${name}: ${run.valid} valid of ${run.attempts} attempts (${percent(run.valid, run.attempts)}), ` +
      `${run.parsed} of ${run.answered} answers parsed (${percent(run.parsed, run.answered)})` +
      run.problems.map((problem) => `\n  not parsed: ${problem}`).join(''),
  );
}

test('after one online visit the app opens and synthesises offline with a picked GGUF model, with no request to the network', async ({
  browser,
}) => {
  test.skip(!existsSync(modelFile), `needs ${modelFile}: run \`node scripts/test-model.mjs\``);
  // Two synthesis runs with a real model on the processor, on a machine that may be busy: a guard
  // against a hang, far above the time the runs take.
  test.setTimeout((fullSize ? 180 : 60) * 60_000);
  const { context, page } = await openProductionBuild(browser);
  await visitOnline(page);

  await context.setOffline(true);
  const requests = recordRequests(context);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'STEPS Studio' })).toBeVisible();
  // Isolated by the service worker's headers, so wllama may use several threads.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await importDemoCorpus(page);
  await buildTaxonomy(page);
  await page.goto('/#/combinations');
  await findCombinations(page, 2);
  await loadPickedModel(page);

  const constrained = await synthesise(page, { wanted: offlineSamples, constrained: true });
  printFigures('constrained', constrained);
  expect(constrained.valid).toBe(offlineSamples);
  expect((await exportDataset(page)).length).toBe(offlineSamples);
  const unconstrained = await synthesise(page, {
    wanted: offlineSamples,
    constrained: false,
    attemptsAtMost: fullSize ? offlineSamples : 1,
  });
  printFigures('unconstrained', unconstrained);
  expect((await exportDataset(page)).length).toBeGreaterThanOrEqual(offlineSamples);
  // Issue 11's bar for constrained output, judged on the full-size run: a handful of answers
  // cannot show a share of 95 %.
  if (fullSize) expect(constrained.parsed / constrained.answered).toBeGreaterThanOrEqual(0.95);

  // The check covers the page, its module workers, wllama's worker and the data they fetched.
  const urls = requests.map((request) => new URL(request.url()).pathname);
  expect(urls).toContain('/');
  expect(urls.some((url) => /\/assets\/import\.worker-.*\.js$/.test(url))).toBe(true);
  expect(urls.some((url) => /\/assets\/taxonomy\.worker-.*\.js$/.test(url))).toBe(true);
  expect(urls.some((url) => /\/assets\/wllama-.*\.wasm$/.test(url))).toBe(true);
  expect(urls).toContain('/demo/demo-corpus.jsonl');
  expect(await reachedNetwork(requests)).toEqual([]);
  await context.close();
});

/** Whether each document the page loads from now on is cross-origin isolated, in load order. */
async function recordDocuments(page: Page): Promise<boolean[]> {
  const documents: boolean[] = [];
  page.on('console', (message) => {
    const isolated = /^steps-document isolated=(true|false)$/.exec(message.text())?.[1];
    if (isolated) documents.push(isolated === 'true');
  });
  await page.addInitScript(() => console.log(`steps-document isolated=${crossOriginIsolated}`));
  return documents;
}

test('a host without COOP/COEP headers becomes cross-origin isolated through the service worker', async ({
  browser,
}) => {
  const { context, page } = await openProductionBuild(browser);
  const documents = await recordDocuments(page);
  await visitOnline(page);
  // The first page was loaded before the service worker existed; the next load comes through it.
  await page.reload();
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  expect(documents).toEqual([false, true]);

  // A hard reload bypasses the service worker: the page reloads itself once, through it.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.reload', { ignoreCache: true });
  await expect.poll(() => documents).toEqual([false, true, false, true]);
  await expect(page.getByRole('heading', { name: 'STEPS Studio' })).toBeVisible();
  await context.close();
});

test('where the service worker cannot isolate the page, it reloads once, never in a loop', async ({
  browser,
}) => {
  const { context, page } = await openProductionBuild(browser);
  const documents = await recordDocuments(page);
  await visitOnline(page);
  // Every load bypasses the worker, as if the browser ignored its headers.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setBypassServiceWorker', { bypass: true });
  await page.reload();
  // The app mounts only once no reload is coming, so the count is final when it shows.
  await expect(page.getByRole('heading', { name: 'STEPS Studio' })).toBeVisible();
  expect(documents).toEqual([false, false, false]);
  await context.close();
});

// Last: it changes the served build.
test('a new version deployed later is offered with "Reload to update", which switches to it', async ({
  browser,
}) => {
  const { context, page } = await openProductionBuild(browser);
  await visitOnline(page);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'STEPS Studio' })).toBeVisible();
  await expect(page.getByText('A new version of STEPS Studio is ready.')).toBeHidden();

  // A new deployment: the service worker's script differs, so the browser installs it beside the
  // running one, where it waits.
  await appendFile(join(outDir, 'sw.js'), '\n// the next version\n');
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())!.update();
  });
  await expect(page.getByText('A new version of STEPS Studio is ready.')).toBeVisible();

  const reloaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Reload to update' }).click();
  await reloaded;
  await expect(page.getByRole('heading', { name: 'STEPS Studio' })).toBeVisible();
  await expect(page.getByText('A new version of STEPS Studio is ready.')).toBeHidden();
  // The new version is the one in charge: nothing waits any more.
  expect(
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting),
  ).toBeNull();
  await context.close();
});
