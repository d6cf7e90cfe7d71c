import { buildSymmetricCsr } from '../../../../src/core/graph/csr';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';

/** The graph of an edge list `[u, v, weight]`, skills named by their ids. */
export function graphOfEdges(n: number, edges: [number, number, number][]): SkillGraph {
  const csr = buildSymmetricCsr(
    n,
    Int32Array.from(edges, (e) => e[0]),
    Int32Array.from(edges, (e) => e[1]),
    Float64Array.from(edges, (e) => e[2]),
    edges.length,
  );
  return {
    names: Array.from({ length: n }, (_, id) => String(id)),
    counts: new Int32Array(n),
    offsets: csr.offsets,
    targets: csr.targets,
    weights: csr.weights,
  };
}

/** A seeded random weighted graph: each pair joined with probability `density`. */
export function randomGraph(random: () => number, n: number, density: number): SkillGraph {
  const edges: [number, number, number][] = [];
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (random() < density) edges.push([u, v, 0.05 + random() * 2]);
    }
  }
  return graphOfEdges(n, edges);
}

/**
 * Random nested partitions as levels (levels[0] is the root): each community of a level is split
 * into up to `maxSplit` random parts (possibly one, i.e. repeated unchanged).
 */
export function randomLevels(
  random: () => number,
  n: number,
  height: number,
  maxSplit: number,
): number[][][] {
  const levels: number[][][] = [[Array.from({ length: n }, (_, i) => i)]];
  for (let level = 1; level <= height; level++) {
    const next: number[][] = [];
    for (const community of levels[level - 1]) {
      const parts = 1 + Math.floor(random() * maxSplit);
      const split: number[][] = Array.from({ length: parts }, () => []);
      for (const skill of community) split[Math.floor(random() * parts)].push(skill);
      for (const part of split) if (part.length > 0) next.push(part);
    }
    levels.push(next);
  }
  return levels;
}

/** `count` distinct random skills of 0..n-1. */
export function randomSubset(random: () => number, n: number, count: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
