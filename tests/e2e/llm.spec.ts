// The model layer in Debian's Chromium with --enable-unsafe-webgpu (SwiftShader: software
// WebGPU, no shader-f16): the capability check, the fixture model in the transformers.js worker
// on WASM and on WebGPU (streaming into the page, greedy output identical to Node's, nothing
// fetched from another origin), cancelling, WebLLM without network, and recovery from a lost
// GPU device. Needs a test build (`vite build --mode test`), which serves the fixture model.
import { expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { env } from '@huggingface/transformers';
import { fileURLToPath } from 'node:url';
import type { ChatMessage } from '../../src/llm/engine';
import { loadTransformersEngine } from '../../src/llm/transformersEngine';
import {
  FIXTURE_MODEL as MODEL,
  fixtureFusionPrompt,
  fixtureModelsFolder,
} from '../unit/llm/fixturePrompt';

const MAX_TOKENS = 128;

/** The fixture's greedy answer and its streamed pieces, computed in Node (onnxruntime-node). */
async function nodeGreedyAnswer(
  messages: ChatMessage[],
): Promise<{ text: string; pieces: number }> {
  const engine = await loadTransformersEngine({ model: MODEL, device: 'cpu' });
  let pieces = 0;
  const result = await engine.chat(
    { messages, temperature: 0, max_tokens: MAX_TOKENS },
    { onToken: () => pieces++ },
  );
  await engine.dispose();
  return { text: result.text, pieces };
}

/** Every request to another host is aborted and remembered, so a test can require none. */
async function recordForeignRequests(
  context: BrowserContext,
): Promise<{ foreign: string[]; local: string[] }> {
  const seen = { foreign: [] as string[], local: [] as string[] };
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
      seen.local.push(url.pathname);
      await route.continue();
    } else {
      seen.foreign.push(url.href);
      await route.abort('internetdisconnected');
    }
  });
  return seen;
}

async function openModelManager(page: Page) {
  await page.goto('/#/model');
  await expect(page.getByTestId('gpu-adapter')).not.toBeEmpty();
}

async function loadFixture(page: Page, device: 'wasm' | 'webgpu') {
  await page.getByTestId('tjs-device').selectOption(device);
  const fixture = page.getByTestId('tjs-model').filter({ hasText: 'STEPS test fixture' });
  await fixture.getByRole('button', { name: 'Use' }).click();
  await expect(page.getByTestId('chosen-model')).toContainText(
    device === 'wasm' ? 'WASM' : 'WebGPU',
  );
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText('ready');
}

async function fillPrompt(page: Page) {
  await page.getByTestId('trial-system').fill(prompt[0].content);
  await page.getByTestId('trial-prompt').fill(prompt[1].content);
  await page.getByLabel('Most tokens').fill(String(MAX_TOKENS));
}

async function generate(page: Page) {
  await fillPrompt(page);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('trial-usage')).toBeVisible();
}

/** Clicks Stop in the page as soon as the first streamed text shows up. */
async function stopAtFirstPiece(page: Page) {
  await page.evaluate(() => {
    const output = document.querySelector('[data-testid="trial-output"]')!;
    const observer = new MutationObserver(() => {
      if (!output.textContent) return;
      observer.disconnect();
      [...document.querySelectorAll('button')].find((b) => b.textContent === 'Stop')?.click();
    });
    observer.observe(output, { childList: true, characterData: true, subtree: true });
  });
}

/** The transformers.js workers the page starts, in order: a restart starts another one. */
function modelWorkers(page: Page): Worker[] {
  const workers: Worker[] = [];
  page.on('worker', (worker) => {
    if (/\/llm\.worker-[^/]*\.js$/.test(worker.url())) workers.push(worker);
  });
  return workers;
}

/**
 * Makes the worker crash, as a lost GPU device makes it, right after it streams its first piece
 * of text: an error it does not catch reaches the page as the Worker's `error` event.
 */
async function crashAtFirstPiece(worker: Worker) {
  await worker.evaluate(() => {
    const scope = globalThis as unknown as {
      postMessage(message: { kind: string; content: unknown }): void;
    };
    const post = scope.postMessage.bind(scope);
    scope.postMessage = (message) => {
      post(message);
      if (message.kind !== 'progress' || typeof message.content !== 'string') return;
      scope.postMessage = post;
      setTimeout(() => {
        throw new Error('GPU device lost');
      });
    };
  });
}

// The DOM types are not part of the Node-side type-check, hence these minimal shapes.
interface PageGlobals {
  document: {
    querySelector(selector: string): { textContent: string | null } | null;
    querySelectorAll(selector: string): Iterable<{ textContent: string | null; click(): void }>;
  };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: object): void;
    disconnect(): void;
  };
}
declare const document: PageGlobals['document'];
declare const MutationObserver: PageGlobals['MutationObserver'];

let prompt: ChatMessage[];
let expected: { text: string; pieces: number };
test.beforeAll(async () => {
  env.allowRemoteModels = false;
  env.localModelPath = fileURLToPath(fixtureModelsFolder);
  prompt = await fixtureFusionPrompt(['sql_querying', 'budgeting', 'poetry']);
  expect(prompt.map((message) => message.role)).toEqual(['system', 'user']);
  expected = await nodeGreedyAnswer(prompt);
  // Streamed in several pieces: long enough to interrupt mid-way.
  expect(expected.pieces).toBeGreaterThan(5);
});

test('the capability check reports the software adapter and no shader-f16', async ({ page }) => {
  await openModelManager(page);
  await expect(page.getByTestId('gpu-adapter')).toContainText('swiftshader');
  await expect(page.getByTestId('gpu-adapter')).toContainText('software fallback');
  await expect(page.getByTestId('gpu-f16')).toHaveText('no');
  await expect(page.getByTestId('machine-verdict')).toHaveAttribute('data-level', 'software-gpu');
  await expect(page.getByTestId('storage-estimate')).toContainText('used of');

  // WebLLM models that need shader-f16 are hidden; their q4f32 twins are listed.
  await page.getByLabel('Show every chat model').check();
  const webLlm = page.getByTestId('webllm-model');
  await expect(
    webLlm.and(page.locator('[data-model="SmolLM2-360M-Instruct-q4f32_1-MLC"]')),
  ).toHaveCount(1);
  await expect(webLlm.and(page.locator('[data-model*="q4f16"]'))).toHaveCount(0);
  await expect(webLlm.and(page.locator('[data-model*="q0f16"]'))).toHaveCount(0);
});

for (const device of ['wasm', 'webgpu'] as const) {
  test(`runs the fixture model in the worker on ${device}, streaming, from this origin only`, async ({
    page,
    context,
  }) => {
    // Software WebGPU compiles its shaders on the first run: about half a minute here.
    const requests = await recordForeignRequests(context);
    await openModelManager(page);
    await loadFixture(page, device);
    await generate(page);

    // Byte-identical to Node, streamed in the same pieces.
    await expect(page.getByTestId('trial-output')).toHaveText(expected.text);
    await expect(page.getByTestId('trial-pieces')).toHaveText(String(expected.pieces));
    await expect(page.getByTestId('trial-usage')).toContainText(`transformers on ${device}`);
    // The worker's own fetches were seen (so the check covers them), and none left the origin.
    expect(
      requests.local.some((path) => path.endsWith('/fixture-models/steps-fixture/onnx/model.onnx')),
    ).toBe(true);
    expect(
      requests.local.some((path) => /ort-wasm-simd-threaded\.asyncify-.*\.wasm$/.test(path)),
    ).toBe(true);
    expect(requests.foreign).toEqual([]);
  });
}

test('Stop ends the generation within a token or two and keeps the model loaded', async ({
  page,
}) => {
  await openModelManager(page);
  await loadFixture(page, 'wasm');
  await stopAtFirstPiece(page);
  await generate(page);

  await expect(page.getByTestId('trial-usage')).toContainText('(abort)');
  const usage = await page.getByTestId('trial-usage').textContent();
  const tokens = Number(/(\d+) tokens \(abort\)/.exec(usage ?? '')![1]);
  const pieces = Number(await page.getByTestId('trial-pieces').textContent());
  // Stop was clicked at the first streamed piece; at most two more tokens may follow.
  expect(tokens).toBeLessThanOrEqual(pieces + 2);
  expect(expected.text.startsWith(await page.getByTestId('trial-output').innerText())).toBe(true);

  await generate(page);
  await expect(page.getByTestId('trial-output')).toHaveText(expected.text);
});

test('the choice is remembered across a reload; the first request then loads the model', async ({
  page,
}) => {
  await openModelManager(page);
  await page.getByTestId('tjs-device').selectOption('wasm');
  const fixture = page.getByTestId('tjs-model').filter({ hasText: 'STEPS test fixture' });
  await fixture.getByRole('button', { name: 'Use' }).click();
  await expect(page.getByTestId('model-link')).toContainText('STEPS test fixture');

  await page.reload();
  await expect(page.getByTestId('model-link')).toContainText('STEPS test fixture');
  await expect(page.getByTestId('chosen-model')).toContainText('STEPS test fixture');
  await expect(page.getByTestId('engine-status')).toHaveText('not loaded');
  await generate(page);
  await expect(page.getByTestId('trial-output')).toHaveText(expected.text);
  await expect(page.getByTestId('engine-status')).toHaveText('ready');
});

test('a WebLLM model chosen without network says "not cached and offline" instead of hanging', async ({
  page,
  context,
}) => {
  const requests = await recordForeignRequests(context);
  await openModelManager(page);
  await page.getByLabel('Show every chat model').check();
  const model = page.locator(
    '[data-testid="webllm-model"][data-model="SmolLM2-360M-Instruct-q4f32_1-MLC"]',
  );
  await model.getByRole('button', { name: 'Use' }).click();
  await page.getByRole('button', { name: 'Download and load' }).click();

  const error = page.getByTestId('model-error');
  await expect(error).toHaveAttribute('data-error', 'ModelNotCachedOfflineError');
  await expect(error).toContainText('not cached and offline');
  await expect(error.getByRole('button', { name: 'Choose a downloaded model' })).toBeVisible();
  // It did try the network (the model's files live on the hub), and was refused.
  expect(requests.foreign.some((url) => url.startsWith('https://huggingface.co/'))).toBe(true);

  // With the browser itself offline, the answer comes before any request is made.
  await context.setOffline(true);
  requests.foreign.length = 0;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(error).toContainText('not cached and offline');
  expect(requests.foreign).toEqual([]);
});

test('a lost GPU device restarts the worker, reloads the model, and the next request succeeds', async ({
  page,
}) => {
  const workers = modelWorkers(page);
  await openModelManager(page);
  await loadFixture(page, 'wasm');
  await expect.poll(() => workers.length).toBe(1);
  await crashAtFirstPiece(workers[0]);
  await fillPrompt(page);
  await page.getByRole('button', { name: 'Generate' }).click();

  const error = page.getByTestId('model-error');
  await expect(error).toHaveAttribute('data-error', 'GpuDeviceLostError');
  await expect(error).toContainText('restarted automatically');
  await expect(page.getByTestId('engine-status')).toHaveText('ready');
  // One restart: a second worker, into which the model was loaded.
  await expect.poll(() => workers.length).toBe(2);

  await generate(page);
  await expect(page.getByTestId('trial-output')).toHaveText(expected.text);
  await expect(error).toHaveCount(0);
  expect(workers).toHaveLength(2);
});
