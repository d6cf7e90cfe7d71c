// GGUF models through wllama in Debian's Chromium: the real SmolLM2-135M-Instruct GGUF picked
// with the Model page's file input (no network: nothing leaves 127.0.0.1), loaded on the
// processor with one thread (the test server sends no COOP/COEP headers, so the page is not
// cross-origin isolated), the trial prompt streamed, stopped, and answered as a constrained JSON
// conversation that parses; a crashed worker restarted; a file that is not GGUF is refused by
// name before loading.
// Needs a test build (`vite build --mode test`) and the model (`node scripts/test-model.mjs`).
import { expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConversation } from '../../src/core/synthesis/parseConversation';

const modelFile = fileURLToPath(
  new URL('../../.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf', import.meta.url),
);

test.skip(!existsSync(modelFile), `needs ${modelFile}: run \`node scripts/test-model.mjs\``);

/** Every request to another host is aborted and remembered, so a test can require none. */
async function recordForeignRequests(context: BrowserContext): Promise<string[]> {
  const foreign: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'blob:') {
      await route.continue();
    } else {
      foreign.push(url.href);
      await route.abort('internetdisconnected');
    }
  });
  return foreign;
}

async function openModelPage(page: Page) {
  await page.goto('/#/model');
  await expect(page.getByTestId('gpu-adapter')).not.toBeEmpty();
}

async function generate(page: Page, prompt: string, maxTokens: number) {
  await page.getByTestId('trial-prompt').fill(prompt);
  await page.getByLabel('Most tokens').fill(String(maxTokens));
  await page.getByRole('button', { name: 'Generate' }).click();
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

/** The workers wllama starts (from blobs), in order: a restart starts another one. */
function wllamaWorkers(page: Page): Worker[] {
  const workers: Worker[] = [];
  page.on('worker', (worker) => {
    if (worker.url().startsWith('blob:')) workers.push(worker);
  });
  return workers;
}

async function loadPickedModel(page: Page) {
  await page.getByTestId('gguf-device').selectOption('wasm');
  await page.getByTestId('gguf-file').setInputFiles(modelFile);
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText('ready');
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

test('a file that is not GGUF is refused by name before anything loads', async ({ page }) => {
  await openModelPage(page);
  await page.getByTestId('gguf-file').setInputFiles({
    name: 'notes.gguf',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('These are notes, not a model.'),
  });
  await expect(page.getByTestId('chosen-model')).toContainText('notes.gguf');
  await page.getByRole('button', { name: 'Download and load' }).click();
  const error = page.getByTestId('model-error');
  await expect(error).toHaveAttribute('data-error', 'NotGgufFileError');
  await expect(error).toContainText('is not a GGUF model file');
  await expect(error.getByRole('button', { name: 'Pick a .gguf file' })).toBeVisible();

  // After a reload the choice is remembered, but the page cannot reopen the file by itself.
  await page.reload();
  await expect(page.getByTestId('chosen-model')).toContainText('notes.gguf');
  await expect(error).toHaveAttribute('data-error', 'GgufFileNeededError');
  await expect(error).toContainText('Pick the file again');
});

test('a kept copy of the picked file loads after a reload without picking it again', async ({
  page,
}) => {
  await openModelPage(page);
  await page.getByTestId('gguf-keep-copy').check();
  await loadPickedModel(page);
  const cached = page.getByTestId('cached-model').filter({ hasText: 'SmolLM2-135M-Instruct' });
  await expect(cached).toContainText('GGUF');

  await page.reload();
  await expect(page.getByTestId('chosen-model')).toContainText('SmolLM2-135M-Instruct');
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText('ready');

  // Deleting the copy leaves nothing of it in the browser.
  await cached.getByRole('button', { name: 'Delete' }).click();
  await expect(cached).toHaveCount(0);
});

test('SmolLM2 from a picked .gguf file: load on WASM, stream, Stop, a constrained JSON conversation', async ({
  page,
  context,
}) => {
  const foreign = await recordForeignRequests(context);
  await openModelPage(page);
  await loadPickedModel(page);
  await expect(page.getByTestId('gguf-threads')).toContainText('1 thread');
  await expect(page.getByTestId('chosen-model')).toContainText('wasm, 1 thread');

  // Streamed, greedy, recorded with the engine and where it ran.
  await generate(page, 'Name three colours.', 24);
  const usage = page.getByTestId('trial-usage');
  await expect(usage).toContainText('wllama on wasm, 1 thread');
  expect(Number(await page.getByTestId('trial-pieces').textContent())).toBeGreaterThan(1);
  await expect(page.getByTestId('trial-output')).not.toBeEmpty();

  // Stop: the answer ends early, the model stays loaded.
  await stopAtFirstPiece(page);
  await generate(page, 'Write a long story about a lighthouse keeper.', 400);
  await expect(usage).toContainText('(abort)');
  await expect(page.getByTestId('engine-status')).toHaveText('ready');

  // Constrained by the conversation grammar: the answer parses as it stands.
  await page.getByTestId('trial-json').check();
  await generate(
    page,
    'Write a short conversation between a user and an assistant about git branches.',
    160,
  );
  await expect(usage).toContainText('constrained');
  const answer = (await page.getByTestId('trial-output').textContent()) ?? '';
  expect(parseConversation(answer), answer).toMatchObject({ ok: true, repaired: [] });
  expect(foreign).toEqual([]);
});

test('a crashed wllama worker is restarted with the picked file, and the next request succeeds', async ({
  page,
}) => {
  const workers = wllamaWorkers(page);
  await openModelPage(page);
  await loadPickedModel(page);
  expect(workers).toHaveLength(1);
  // An error the worker does not catch, as a lost device or a WebAssembly abort raises one.
  await workers[0].evaluate(() => {
    setTimeout(() => {
      throw new Error('WebGPU device lost');
    });
  });
  // The next request finds the model gone, says so, and the model is loaded again.
  await generate(page, 'Name three colours.', 16);
  await expect(page.getByTestId('model-error')).toHaveAttribute('data-error', 'GpuDeviceLostError');
  await expect(page.getByTestId('engine-status')).toHaveText('ready');
  expect(workers).toHaveLength(2);

  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('trial-usage')).toContainText('wllama on wasm, 1 thread');
});
