// What the Skills step shows of a skill graph: per skill its samples, partners and strongest
// neighbours, the long tail of skill frequencies, and one skill's neighbourhood with the samples
// each pair shares. Run in a worker: every function here is linear or n log n in the graph.
import type { SampleIndex } from '../combinations/sampleIndex';
import { nodeCount, type SkillGraph } from '../graph/skillGraph';

/** Strongest neighbours kept per skill for the table. */
export const TABLE_NEIGHBOURS = 3;

export interface SkillTable {
  /** Partners (distinct co-occurring skills) per skill. */
  degrees: Int32Array;
  /** Weighted degree: the summed weight of the skill's edges. */
  strengths: Float64Array;
  /** neighbours[skill * TABLE_NEIGHBOURS + j]: its j-th strongest neighbour, or -1. */
  neighbours: Int32Array;
}

export function skillTable(graph: SkillGraph): SkillTable {
  const n = nodeCount(graph);
  const degrees = new Int32Array(n);
  const strengths = new Float64Array(n);
  const neighbours = new Int32Array(n * TABLE_NEIGHBOURS).fill(-1);
  const best = new Float64Array(TABLE_NEIGHBOURS);
  for (let u = 0; u < n; u++) {
    const start = graph.offsets[u];
    const end = graph.offsets[u + 1];
    degrees[u] = end - start;
    best.fill(-Infinity);
    const row = u * TABLE_NEIGHBOURS;
    for (let e = start; e < end; e++) {
      const w = graph.weights[e];
      strengths[u] += w;
      // Insertion into the few best so far; ties keep the lower id (rows are sorted by id).
      let at = TABLE_NEIGHBOURS;
      while (at > 0 && w > best[at - 1]) at--;
      if (at === TABLE_NEIGHBOURS) continue;
      for (let k = TABLE_NEIGHBOURS - 1; k > at; k--) {
        best[k] = best[k - 1];
        neighbours[row + k] = neighbours[row + k - 1];
      }
      best[at] = w;
      neighbours[row + at] = graph.targets[e];
    }
  }
  return { degrees, strengths, neighbours };
}

export type SkillSortKey = 'name' | 'samples' | 'degree' | 'strength';

export interface SkillQuery {
  sortBy: SkillSortKey;
  descending: boolean;
  /** Kept: skills whose name contains it, ignoring case; empty keeps all. */
  filter: string;
}

/** The skills (ids) the table shows, in its order; ties by id, so the order is total. */
export function skillOrder(graph: SkillGraph, table: SkillTable, query: SkillQuery): Int32Array {
  const needle = query.filter.trim().toLowerCase();
  const kept: number[] = [];
  for (let u = 0; u < graph.names.length; u++) {
    if (needle === '' || graph.names[u].toLowerCase().includes(needle)) kept.push(u);
  }
  const sign = query.descending ? -1 : 1;
  const value: (u: number) => number =
    query.sortBy === 'samples'
      ? (u) => graph.counts[u]
      : query.sortBy === 'degree'
        ? (u) => table.degrees[u]
        : (u) => table.strengths[u];
  const compare =
    query.sortBy === 'name'
      ? (a: number, b: number) =>
          sign * (graph.names[a] < graph.names[b] ? -1 : graph.names[a] > graph.names[b] ? 1 : 0) ||
          a - b
      : (a: number, b: number) => sign * (value(a) - value(b)) || a - b;
  return Int32Array.from(kept.sort(compare));
}

export interface LongTail {
  /** Rank (1 = most frequent) → samples, thinned to about evenly spaced ranks on a log scale. */
  byRank: { rank: number; samples: number }[];
  /** Samples per skill → how many skills have that many, ascending in samples. */
  bySamples: { samples: number; skills: number }[];
  /** Skills carried by one sample only. */
  singletons: number;
}

/** Points per decade of rank kept in `byRank`. */
const RANK_POINTS_PER_DECADE = 40;

/** The long tail of skill frequencies; `counts` as in SkillGraph (any order). */
export function longTail(counts: ArrayLike<number>): LongTail {
  const sorted = Int32Array.from(counts).sort().reverse();
  const byRank: LongTail['byRank'] = [];
  let lastLog = -Infinity;
  for (let i = 0; i < sorted.length; i++) {
    const rank = i + 1;
    const log = Math.log10(rank);
    // The last rank is always kept, so the tail's end shows.
    if (log - lastLog >= 1 / RANK_POINTS_PER_DECADE || rank === sorted.length) {
      byRank.push({ rank, samples: sorted[i] });
      lastLog = log;
    }
  }
  const bySamples: LongTail['bySamples'] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const last = bySamples.at(-1);
    if (last?.samples === sorted[i]) last.skills++;
    else bySamples.push({ samples: sorted[i], skills: 1 });
  }
  return { byRank, bySamples, singletons: sorted.filter((c) => c === 1).length };
}

export interface Neighbour {
  skill: number;
  /** The edge's weight under the graph's weighting. */
  weight: number;
  /** Samples that carry both skills. */
  cooccurrence: number;
}

/** The skill's `limit` strongest neighbours, strongest first, with the samples each pair shares. */
export function neighbourhood(
  graph: SkillGraph,
  index: SampleIndex,
  skill: number,
  limit: number,
): Neighbour[] {
  const together = new Map<number, number>();
  for (let k = index.skillStart[skill]; k < index.skillStart[skill + 1]; k++) {
    const sample = index.skillSamples[k];
    for (let j = index.sampleStart[sample]; j < index.sampleStart[sample + 1]; j++) {
      const other = index.sampleSkills[j];
      if (other !== skill) together.set(other, (together.get(other) ?? 0) + 1);
    }
  }
  const found: Neighbour[] = [];
  for (let e = graph.offsets[skill]; e < graph.offsets[skill + 1]; e++) {
    const other = graph.targets[e];
    found.push({ skill: other, weight: graph.weights[e], cooccurrence: together.get(other) ?? 0 });
  }
  return found.sort((a, b) => b.weight - a.weight || a.skill - b.skill).slice(0, limit);
}
