// Seeded JSONL corpora for the browser benchmark, streamed to disk: skill i has popularity
// (i + 1)^-1.1 (Zipf), every sample carries 2–5 distinct skills, and the first samples hand out
// every skill once, as tests/e2e/powerLawCorpus.ts does for the browser tests. `filler` words of
// text per sample make a file as large as wanted (the 1 GB import).
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';

/** mulberry32: a small seeded generator, the same as src/core/random/mulberry32.ts. */
function seeded(seed: number): () => number {
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
  'function value result example explain write describe compare list code python table summary'
).split(' ');

export interface CorpusSpec {
  path: string;
  samples: number;
  skills: number;
  /** Words of prompt and response text per sample. */
  filler: number;
  seed: number;
}

/** Writes the corpus unless a file of it is already there; returns its size in bytes. */
export async function writeCorpus(spec: CorpusSpec): Promise<number> {
  if (existsSync(spec.path)) return statSync(spec.path).size;
  await mkdir(dirname(spec.path), { recursive: true });
  const random = seeded(spec.seed);
  const cumulative = new Float64Array(spec.skills);
  let sum = 0;
  for (let i = 0; i < spec.skills; i++) cumulative[i] = sum += Math.pow(i + 1, -1.1);
  const draw = () => {
    const target = random() * sum;
    let low = 0;
    let high = spec.skills - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  const text = (count: number) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]);
    return out.join(' ');
  };
  const out = createWriteStream(`${spec.path}.partial`);
  let unseen = 0;
  let chunk: string[] = [];
  for (let row = 0; row < spec.samples; row++) {
    const wanted = 2 + Math.floor(random() * 4);
    const tags = new Set<number>();
    while (unseen < spec.skills && tags.size < wanted) tags.add(unseen++);
    for (let attempt = 0; tags.size < wanted && attempt < 20; attempt++) tags.add(draw());
    const half = spec.filler >> 1;
    chunk.push(
      JSON.stringify({
        prompt: `task ${row} ${text(half)}`,
        response: text(spec.filler - half),
        skills: [...tags].map((rank) => `skill-${rank}`),
      }),
    );
    if (chunk.length === 1000 || row === spec.samples - 1) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end();
  await once(out, 'finish');
  await rename(`${spec.path}.partial`, spec.path);
  return statSync(spec.path).size;
}
