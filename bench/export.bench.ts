// Dataset export time and memory: `npm run bench:export`.
// Exports 100k seeded synthetic samples shaped like real ones (one to three rounds, a system
// message in a third of them, provenance with a raw answer) as the app's zip with Parquet and
// JSONL and provenance, written to a file in the temp dir through the same core code as the app
// and `steps export`. Three times: the samples read from a generator once per file (as `steps
// export` reads its file); held in memory (as the Dataset step held them before it read them
// from IndexedDB); and the app itself: the samples stored in IndexedDB as a synthesis run stores
// them, the Dataset step opened and its Download .zip clicked, in Chromium (Debian's) on a
// production build made into the temp dir (out of the linters' way) and served on STEPS_E2E_PORT
// (default 4173). Prints seconds, MB written, the JS heap before the export and its peak (in
// Chromium: the page's heap, polled through the DevTools protocol, and the same for opening the
// step). Target: peak heap < 300 MB exporting from the generator and in the app.
// `--only generator|memory|app` runs one of the three.
import { spawn } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { chromium } from '@playwright/test';
import type { ChatMessage } from '../src/core/corpus/sample';
import { exportDataset } from '../src/core/export/exportDataset';
import { tokenTotals } from '../src/core/export/manifest';
import { samplesInMemory, type SampleSource } from '../src/core/export/sampleSource';
import type { GeneratedSample } from '../src/core/synthesis/generatedSample';
import { defaultTemplates } from '../src/core/synthesis/prompts';
import type { SynthesisAttempt } from '../src/core/synthesis/synthesisRun';
import { startPreview } from './previewServer';

const SAMPLES = 100_000;
const TARGET_HEAP_MB = 300;

/** mulberry32: a small seeded generator, so every run exports the same samples. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is for that with as on by this be are from it or an at which model data ' +
  'function value result example explain write describe compare list code python table summary ' +
  'analysis reasoning question answer step first second because therefore however number small ' +
  'données 数据 分析 "quoted" comma, semicolon; `code` <tag> café'
).split(' ');
const SKILLS = Array.from({ length: 300 }, (_, i) => `skill ${i} of the taxonomy`);

function words(next: () => number, median: number): string {
  const count = Math.max(3, Math.round(median * Math.exp((next() - 0.5) * 2)));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(WORDS[Math.floor(next() * WORDS.length)]);
    if (next() < 0.04) out.push('\n');
  }
  return out.join(' ');
}

function sample(next: () => number, index: number): GeneratedSample {
  const messages: ChatMessage[] = [];
  if (next() < 0.33) messages.push({ role: 'system', content: words(next, 20) });
  const rounds = 1 + Math.floor(next() * 3);
  for (let r = 0; r < rounds; r++) {
    messages.push({ role: 'user', content: words(next, 50) });
    messages.push({ role: 'assistant', content: words(next, 160) });
  }
  const k = 2 + Math.floor(next() * 3);
  const skills = Array.from({ length: k }, (_, i) => SKILLS[(index * 7 + i * 31) % SKILLS.length]);
  return {
    id: `run-bench:${index}`,
    runId: 'run-bench',
    messages,
    skills,
    k,
    combination: {
      skills,
      score: next() * 4,
      lowestCommonNode: { level: Math.floor(next() * 3), community: Math.floor(next() * 20) },
    },
    atomicSampleIds: skills.map((_, i) => `row-${index * 3 + i}`),
    template: { id: 'steps-fusion', kind: 'fusion', version: 1 },
    model: { id: 'Qwen2.5-0.5B-Instruct', engine: 'webllm' },
    seed: 4242 + index,
    parameters: { temperature: 0.8, top_p: 0.95, max_tokens: 768 },
    rawOutput: JSON.stringify(messages),
    repairs: next() < 0.1 ? ['dropped text after the array'] : [],
    usage: {
      promptTokens: 300 + Math.floor(next() * 400),
      completionTokens: 100 + Math.floor(next() * 600),
      timeToFirstTokenMs: next() * 500,
      tokensPerSecond: 20 + next() * 40,
    },
    createdAt: '2026-01-31T12:00:00.000Z',
  };
}

function* generated(): Generator<GeneratedSample> {
  const next = random(20260131);
  for (let i = 0; i < SAMPLES; i++) yield sample(next, i);
}

async function measure(label: string, source: SampleSource, out: string) {
  const startHeap = process.memoryUsage().heapUsed;
  let peakHeap = startHeap;
  const sampleHeap = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sampleHeap, 20);
  const started = performance.now();
  const archive = exportDataset({
    samples: source,
    formats: ['parquet', 'openai'],
    tableShape: 'openai',
    includeProvenance: true,
    includeRawOutput: false,
    dataset: { name: 'bench', license: { id: 'unknown' }, language: ['en'], sourceDatasets: [] },
    facts: {
      corpus: null,
      taxonomies: [],
      combinationSets: [],
      runs: [],
      validPerK: [],
      discarded: null,
      tokens: tokenTotals([]),
      curriculum: null,
    },
    appVersion: 'bench',
    onProgress: sampleHeap,
  });
  await pipeline(
    Readable.fromWeb(archive.stream as NodeReadableStream<Uint8Array>),
    createWriteStream(out),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  sampleHeap();
  const manifest = await archive.manifest;
  return {
    label,
    samples: source.count,
    seconds: Number(seconds.toFixed(1)),
    zipMB: Number((statSync(out).size / 1e6).toFixed(1)),
    files: manifest.files.map((file) => `${file.path}: ${(file.bytes / 1e6).toFixed(1)} MB`),
    heapBeforeMB: Number((startHeap / 1e6).toFixed(1)),
    peakHeapMB: Number((peakHeap / 1e6).toFixed(1)),
  };
}

const RUN_ID = 'run-bench';

// The page's raw IndexedDB calls, typed structurally: this file is checked without the DOM types.
interface RawRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface RawTransaction {
  objectStore(name: string): {
    put(value: unknown): RawRequest<unknown>;
    getAll(): RawRequest<unknown[]>;
  };
  error: unknown;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
}
interface RawDatabase {
  transaction(store: string, mode?: 'readwrite'): RawTransaction;
  close(): void;
}
interface PageGlobals {
  indexedDB: { open(name: string): RawRequest<RawDatabase> };
}

/** The run the samples belong to, as the Synthesis step stores it (src/storage/synthesisStore.ts). */
function runRecord(corpusId: string) {
  return {
    id: RUN_ID,
    corpusId,
    status: 'done',
    createdAt: Date.parse('2026-01-31T12:00:00.000Z'),
    updatedAt: Date.parse('2026-01-31T12:00:00.000Z'),
    taxonomyId: 'taxonomy-bench',
    spec: {
      runId: RUN_ID,
      combinations: [],
      targetPerK: { 2: 33_334, 3: 33_333, 4: 33_333 },
      template: defaultTemplates.fusion,
      model: { id: 'Qwen2.5-0.5B-Instruct', engine: 'webllm' },
      generation: { temperature: 0.8, top_p: 0.95, max_tokens: 768 },
      maxPromptTokens: 1500,
      seed: 4242,
      maxAttemptsPerSlot: 3,
      quality: {
        dedup: true,
        nearDuplicateThreshold: 0.8,
        novelty: false,
        coverage: false,
        minCoverage: 1,
      },
      checkMaxTokens: 64,
    },
  };
}

/**
 * A sample as its valid attempt is stored: the attempt, its corpus and its key, which is
 * `attemptKey(runId, index)` of src/storage/runStore.ts (not imported: storage needs the DOM).
 */
function storedAttempt(sample: GeneratedSample, index: number, corpusId: string) {
  const attempt: SynthesisAttempt = {
    runId: RUN_ID,
    index,
    slot: index,
    k: sample.k,
    combinationIndex: index,
    atomicSampleIds: sample.atomicSampleIds,
    seed: sample.seed,
    status: 'valid',
    reason: null,
    rawOutput: sample.rawOutput,
    sample,
    createdAt: sample.createdAt,
  };
  return { ...attempt, id: `${RUN_ID}:${String(index).padStart(8, '0')}`, corpusId };
}

/** Runs a command of the project's own tools and waits for it. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(import.meta.dirname, '..', 'node_modules', '.bin', command), args, {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

/**
 * The app's own path in Chromium: the demo corpus imported, a run of SAMPLES valid attempts put
 * into IndexedDB beside it, the Dataset step opened (it reads refs of the samples) and the zip
 * downloaded (it reads the samples again, in batches, once per file).
 */
async function measureApp(folder: string) {
  const port = Number(process.env.STEPS_E2E_PORT ?? 4173);
  const dist = join(folder, 'dist-export');
  const out = join(folder, 'export-app.zip');
  await run('vite', ['build', '--logLevel', 'error', '--outDir', dist, '--emptyOutDir']);
  const { process: server, baseURL } = await startPreview(dist, port);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto('/#/import');
    await page.getByRole('button', { name: 'Import the demo corpus' }).click();
    await page.getByRole('heading', { name: 'Imported demo-corpus.jsonl' }).waitFor();

    // Straight into the stores, many attempts a transaction: `saveAttempt` writes one at a time.
    const put = (records: { store: string; values: unknown[] }) =>
      page.evaluate(
        ({ store, values }) =>
          new Promise<void>((resolve, reject) => {
            const open = (globalThis as unknown as PageGlobals).indexedDB.open('steps-studio');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction(store, 'readwrite');
              for (const value of values) tx.objectStore(store).put(value);
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
        records,
      );
    const corpusId = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = (globalThis as unknown as PageGlobals).indexedDB.open('steps-studio');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('corpora').objectStore('corpora').getAll();
            request.onsuccess = () => {
              open.result.close();
              resolve((request.result as { id: string }[])[0].id);
            };
          };
        }),
    );
    await put({ store: 'synthesisRuns', values: [runRecord(corpusId)] });
    let chunk: unknown[] = [];
    let index = 0;
    for (const sample of generated()) {
      chunk.push(storedAttempt({ ...sample, runId: RUN_ID }, index++, corpusId));
      if (chunk.length === 2000) {
        await put({ store: 'generatedSamples', values: chunk });
        chunk = [];
      }
    }
    if (chunk.length > 0) await put({ store: 'generatedSamples', values: chunk });

    const cdp = await context.newCDPSession(page);
    const heap = async () =>
      ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    /** The page's heap polled while `action` runs: the peak, in MB. */
    const peakDuring = async (action: () => Promise<unknown>) => {
      let peak = await heap();
      let polling = true;
      const poll = (async () => {
        while (polling) {
          peak = Math.max(peak, await heap());
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const started = performance.now();
      await action();
      const seconds = (performance.now() - started) / 1000;
      polling = false;
      await poll;
      return { seconds, peakMB: Math.max(peak, await heap()) / 1e6 };
    };

    await page.goto('/#/import');
    await cdp.send('HeapProfiler.collectGarbage');
    const opened = await peakDuring(async () => {
      await page.goto('/#/dataset');
      await page
        .getByTestId('dataset-summary')
        .filter({ hasText: `${SAMPLES.toLocaleString('en-US')} valid samples` })
        .waitFor({ timeout: 10 * 60_000 });
      await page.getByTestId('dataset-sample').first().waitFor();
    });
    await page.getByLabel('Include provenance (under "steps")').check();
    await cdp.send('HeapProfiler.collectGarbage');
    const startHeap = await heap();
    const exported = await peakDuring(async () => {
      const download = page.waitForEvent('download', { timeout: 30 * 60_000 });
      await page.getByRole('button', { name: 'Download .zip' }).click();
      await (await download).saveAs(out);
    });
    return {
      label: 'samples in IndexedDB, exported by the Dataset step (the app, Chromium)',
      samples: SAMPLES,
      openSeconds: Number(opened.seconds.toFixed(1)),
      openPeakHeapMB: Number(opened.peakMB.toFixed(1)),
      seconds: Number(exported.seconds.toFixed(1)),
      zipMB: Number((statSync(out).size / 1e6).toFixed(1)),
      heapBeforeMB: Number((startHeap / 1e6).toFixed(1)),
      peakHeapMB: Number(exported.peakMB.toFixed(1)),
    };
  } finally {
    await browser.close();
    server.kill();
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--only');
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  const runs = (part: string) => only === undefined || only === part;
  const folder = join(tmpdir(), 'steps-bench');
  await mkdir(folder, { recursive: true });
  const peaks: number[] = [];
  if (runs('generator')) {
    const streamed = await measure(
      'samples read once per file',
      { count: SAMPLES, read: generated },
      join(folder, 'export-streamed.zip'),
    );
    console.log(JSON.stringify(streamed, null, 2));
    peaks.push(streamed.peakHeapMB);
  }
  if (runs('memory')) {
    const held = [...generated()];
    const inMemory = await measure(
      'samples held in memory (as the app did before reading IndexedDB)',
      samplesInMemory(held),
      join(folder, 'export-in-memory.zip'),
    );
    console.log(JSON.stringify(inMemory, null, 2));
  }
  if (runs('app')) {
    const app = await measureApp(folder);
    console.log(JSON.stringify(app, null, 2));
    peaks.push(app.peakHeapMB, app.openPeakHeapMB);
  }
  if (peaks.length === 0) return; // the in-memory path has no target: it holds the samples
  const ok = peaks.every((peak) => peak < TARGET_HEAP_MB);
  console.log(
    ok
      ? `target met (peak heap < ${TARGET_HEAP_MB} MB exporting ${SAMPLES} samples)`
      : 'TARGET MISSED',
  );
  if (!ok) process.exitCode = 1;
}

await main();
