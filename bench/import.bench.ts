// Import throughput and memory: `npm run bench:import`.
// Writes a seeded 200 MB Infinity-Instruct-like JSONL corpus to the temp dir (once), imports it
// from a file stream through the same core code as the app, and prints MB/s and peak heap.
// Targets: >= 20 MB/s, peak heap < 200 MB.
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { importCorpus } from '../src/core/corpus/importCorpus';
import { corpusFileFromPath } from '../src/cli/corpusFile';

const TARGET_BYTES = 200 * 1024 * 1024;
const corpusPath = join(tmpdir(), 'steps-bench', 'infinity-like-200mb.jsonl');

/** mulberry32: a small seeded generator, so every run writes the same corpus. */
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
  'large system user process information knowledge language history science mathematics graph ' +
  'Überblick données 数据 分析 模型 問題 réponse naïve café'
).split(' ');
const ABILITIES = [
  'information processing and integration',
  'programming ability',
  'mathematical ability',
  'logical reasoning',
  'natural language processing and understanding',
  'creativity and design',
  'problem solving',
  'data science and analytics',
  'education and consulting',
  'communication and social media',
  'humanities, history, philosophy, and sociology knowledge',
  'financial, financial and business knowledge',
  'medical, pharmaceutical and health knowledge',
  'legal knowledge',
  'task generation',
  'stem knowledge',
  'life knowledge and skills',
  'literary creation and artistic knowledge',
  'open knowledge q&a',
  'psychological knowledge',
];

function words(next: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(WORDS[Math.floor(next() * WORDS.length)]);
    if (next() < 0.05) out.push('\n');
  }
  return out.join(' ');
}

/** Word counts with a long tail: mostly short prompts, some very long answers. */
function length(next: () => number, median: number): number {
  return Math.max(3, Math.round(median * Math.exp((next() - 0.5) * 3)));
}

function corpusRow(next: () => number, id: number): string {
  const turns: { from: string; value: string }[] = [];
  const rounds = 1 + Math.floor(next() * next() * 4);
  for (let r = 0; r < rounds; r++) {
    turns.push({ from: 'human', value: words(next, length(next, 40)) });
    turns.push({ from: 'gpt', value: words(next, length(next, 180)) });
  }
  const pick = (count: number): string[] =>
    Array.from({ length: count }, () => ABILITIES[Math.floor(next() * ABILITIES.length)]);
  const label = {
    ability_en: pick(1 + Math.floor(next() * 4)),
    ability_zh: ['信息处理与整合'],
    cate_ability_en: pick(1),
    cate_ability_zh: ['信息处理与整合'],
  };
  // Exports from pandas store the label dict as Python text; a fifth of the rows do here.
  const labelValue =
    next() < 0.2
      ? `{'ability_en': [${label.ability_en.map((a) => `'${a}'`).join(', ')}], 'ability_zh': ['信息处理与整合'], 'cate_ability_en': ['${label.cate_ability_en[0]}'], 'cate_ability_zh': ['信息处理与整合']}`
      : label;
  return JSON.stringify({
    id,
    conversations: turns,
    label: labelValue,
    langdetect: 'en',
    source: 'bench',
  });
}

async function writeCorpus(): Promise<void> {
  await mkdir(join(tmpdir(), 'steps-bench'), { recursive: true });
  const out = createWriteStream(corpusPath);
  const next = random(20260127);
  let written = 0;
  let id = 0;
  while (written < TARGET_BYTES) {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(corpusRow(next, id++));
    const text = lines.join('\n') + '\n';
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  if (!existsSync(corpusPath) || statSync(corpusPath).size < TARGET_BYTES) {
    console.log(`writing ${corpusPath} ...`);
    await writeCorpus();
  }
  const size = statSync(corpusPath).size;

  let peakHeap = process.memoryUsage().heapUsed;
  const sampleHeap = (): void => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sampleHeap, 20);
  let batches = 0;
  const started = performance.now();
  const report = await importCorpus(await corpusFileFromPath(corpusPath), {
    onBatch: () => {
      batches++;
      sampleHeap();
    },
    onProgress: sampleHeap,
    progressIntervalMs: 50,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  sampleHeap();

  const mb = size / 1e6;
  const result = {
    file: corpusPath,
    megabytes: Number(mb.toFixed(1)),
    rows: report.rows,
    kept: report.kept,
    rejected: report.rejected.length + report.rejectedNotListed,
    skills: report.skills,
    batches,
    seconds: Number(seconds.toFixed(2)),
    megabytesPerSecond: Number((mb / seconds).toFixed(1)),
    peakHeapMB: Number((peakHeap / 1e6).toFixed(1)),
  };
  console.log(JSON.stringify(result, null, 2));
  const ok =
    result.megabytesPerSecond >= 20 && result.peakHeapMB < 200 && result.kept === result.rows;
  console.log(ok ? 'targets met (>= 20 MB/s, peak heap < 200 MB)' : 'TARGETS MISSED');
  if (!ok) process.exitCode = 1;
}

await main();
