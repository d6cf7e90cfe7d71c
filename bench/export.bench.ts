// Dataset export time and memory: `npm run bench:export`.
// Exports 100k seeded synthetic samples shaped like real ones (one to three rounds, a system
// message in a third of them, provenance with a raw answer) as the app's zip with Parquet and
// JSONL and provenance, written to a file in the temp dir through the same core code as the app
// and `steps export`. Twice: the samples read from a generator once per file (as `steps export`
// reads its file), and held in memory as the app's Dataset step holds them. Prints seconds, MB
// written, the JS heap before the export (the held samples) and its peak. Target: peak heap
// < 300 MB while exporting from the generator (the export's own memory); the in-memory figure
// adds the samples themselves.
import { createWriteStream, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { ChatMessage } from '../src/core/corpus/sample';
import { exportDataset } from '../src/core/export/exportDataset';
import { tokenTotals } from '../src/core/export/manifest';
import { samplesInMemory, type SampleSource } from '../src/core/export/sampleSource';
import type { GeneratedSample } from '../src/core/synthesis/generatedSample';

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

async function main(): Promise<void> {
  const folder = join(tmpdir(), 'steps-bench');
  await mkdir(folder, { recursive: true });
  const streamed = await measure(
    'samples read once per file',
    { count: SAMPLES, read: generated },
    join(folder, 'export-streamed.zip'),
  );
  console.log(JSON.stringify(streamed, null, 2));
  const held = [...generated()];
  const inMemory = await measure(
    'samples held in memory (as in the app)',
    samplesInMemory(held),
    join(folder, 'export-in-memory.zip'),
  );
  console.log(JSON.stringify(inMemory, null, 2));
  const ok = streamed.peakHeapMB < TARGET_HEAP_MB;
  console.log(
    ok
      ? `target met (peak heap < ${TARGET_HEAP_MB} MB exporting ${SAMPLES} samples)`
      : 'TARGET MISSED',
  );
  if (!ok) process.exitCode = 1;
}

await main();
