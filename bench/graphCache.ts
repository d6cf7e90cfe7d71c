// The benchmarks' large power-law graphs, generated once and kept as binary graph files in
// bench/out/ (the million-skill graph takes minutes to simulate, and seconds to load).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphFromBinary, graphToBinary } from '../src/core/graph/binaryGraphFile';
import type { SkillGraph } from '../src/core/graph/skillGraph';
import { powerLawGraph } from './powerLawGraph';

export const benchOut = join(dirname(fileURLToPath(import.meta.url)), 'out');

/** Path of the cached binary file of the seed-1 power-law graph of `skills` skills. */
export function powerLawGraphPath(skills: number): string {
  return join(benchOut, `powerlaw-${skills}-seed1.graph`);
}

/** The seed-1 power-law graph of `skills` skills, from its cached file, generated if absent. */
export function cachedPowerLawGraph(skills: number): SkillGraph {
  const path = powerLawGraphPath(skills);
  if (existsSync(path)) return graphFromBinary(readFileSync(path));
  console.error(`generating the ${skills}-skill power-law graph into ${path} (once)`);
  const graph = powerLawGraph({ skills, seed: 1 });
  mkdirSync(benchOut, { recursive: true });
  writeFileSync(`${path}.partial`, graphToBinary(graph));
  renameSync(`${path}.partial`, path);
  return graph;
}

// `tsx bench/graphCache.ts 1000000` generates a graph's file ahead of a benchmark run.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const skills of process.argv.slice(2).map(Number)) cachedPowerLawGraph(skills);
}
