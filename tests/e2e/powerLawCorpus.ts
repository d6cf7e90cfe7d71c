// A seeded corpus file with a long tail of skills, for the browser tests of large data: skill i
// has popularity (i + 1)^-1.1 (Zipf), every sample carries 2–5 distinct skills, and the first
// samples hand out every skill once (up to 5 new skills each) so that all `skills` are in it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export interface PowerLawCorpus {
  /** The JSONL file, named `name`. */
  file: string;
  /** Skill names by popularity rank (`skill-<i>`). */
  skillName: (rank: number) => string;
}

export function powerLawCorpus(options: {
  name: string;
  skills: number;
  samples: number;
  seed: number;
}): PowerLawCorpus {
  const { skills, samples } = options;
  const random = seeded(options.seed);
  const cumulative = new Float64Array(skills);
  let sum = 0;
  for (let i = 0; i < skills; i++) cumulative[i] = sum += Math.pow(i + 1, -1.1);
  const draw = () => {
    const target = random() * sum;
    let low = 0;
    let high = skills - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  const skillName = (rank: number) => `skill-${rank}`;
  let unseen = 0;
  const lines: string[] = [];
  for (let row = 0; row < samples; row++) {
    const wanted = 2 + Math.floor(random() * 4);
    const tags = new Set<number>();
    while (unseen < skills && tags.size < wanted) tags.add(unseen++);
    for (let attempt = 0; tags.size < wanted && attempt < 20; attempt++) tags.add(draw());
    lines.push(
      JSON.stringify({
        prompt: `task ${row}`,
        response: 'ok',
        skills: [...tags].map(skillName),
      }),
    );
  }
  if (unseen < skills) throw new Error(`${samples} samples cannot carry ${skills} skills`);
  const file = join(mkdtempSync(join(tmpdir(), 'steps-e2e-')), options.name);
  writeFileSync(file, lines.join('\n'));
  return { file, skillName };
}
