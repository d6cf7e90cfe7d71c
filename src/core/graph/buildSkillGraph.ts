import { buildSymmetricCsr } from './csr';
import type { SkillGraph } from './skillGraph';

/**
 * Edge weight of two skills i, j with sample counts n_i, n_j, co-occurring in co samples, N being
 * the samples that carry at least one kept skill (untagged rows say nothing about co-occurrence):
 * - `reference`: (co + 2) / ((n_i + 1)(n_j + 1)), as the paper's 1_construct_graph.py;
 * - `count`: co;
 * - `pmi`: ln(co·N / (n_i·n_j));
 * - `npmi`: pmi / −ln(co / N), and 1 when co = N (the two skills are in every sample).
 * Structural entropy needs positive weights, so under `pmi` and `npmi` a pair whose value is ≤ 0
 * (co-occurring no more often than chance) gets no edge.
 */
export type EdgeWeighting = 'reference' | 'count' | 'pmi' | 'npmi';

export const edgeWeightings: readonly EdgeWeighting[] = ['reference', 'count', 'pmi', 'npmi'];

export interface SkillGraphOptions {
  /** Default `reference`. */
  weighting?: EdgeWeighting;
  /** Skills carried by fewer samples are dropped before edges are built. Default 1. */
  minCount?: number;
}

function grown<T extends Int32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(
    Math.max(needed, array.length * 2),
  );
  bigger.set(array);
  return bigger;
}

/**
 * Accumulates samples' skill lists, then builds the skill co-occurrence graph. Feed it with
 * `add` (so a corpus can be streamed), then call `build` once.
 *
 * Node ids are assigned by descending sample count, ties by name in JavaScript string order
 * (UTF-16 code units), so the same corpus always gives the same ids whatever the row order.
 */
export class SkillGraphBuilder {
  private readonly idOfName = new Map<string, number>();
  private readonly names: string[] = [];
  private counts = new Int32Array(256);
  /** Sample index that last carried each skill: deduplicates a sample's skills. */
  private lastSample = new Int32Array(256);
  /** Interned skill ids of all samples, concatenated; sampleEnds[s] is where sample s ends. */
  private skillIds = new Int32Array(4096);
  private sampleEnds = new Int32Array(1024);
  private sampleCount = 0;
  private skillIdCount = 0;

  add(skills: readonly string[]): void {
    const sample = this.sampleCount;
    if (this.skillIdCount + skills.length > this.skillIds.length) {
      this.skillIds = grown(this.skillIds, this.skillIdCount + skills.length);
    }
    for (const name of skills) {
      let id = this.idOfName.get(name);
      if (id === undefined) {
        id = this.names.length;
        this.idOfName.set(name, id);
        this.names.push(name);
        this.counts = grown(this.counts, id + 1);
        this.lastSample = grown(this.lastSample, id + 1);
        this.lastSample[id] = -1;
      }
      if (this.lastSample[id] === sample) continue;
      this.lastSample[id] = sample;
      this.counts[id]++;
      this.skillIds[this.skillIdCount++] = id;
    }
    if (sample === this.sampleEnds.length) this.sampleEnds = grown(this.sampleEnds, sample + 1);
    this.sampleEnds[sample] = this.skillIdCount;
    this.sampleCount++;
  }

  build(options: SkillGraphOptions = {}): SkillGraph {
    return graphOfSkillLists(
      {
        names: this.names,
        counts: this.counts,
        skillIds: this.skillIds,
        sampleEnds: this.sampleEnds,
        sampleCount: this.sampleCount,
      },
      options,
    );
  }
}

/**
 * Samples' skills as ids into one name table: sample s holds skillIds[sampleEnds[s − 1] ..
 * sampleEnds[s]) (from 0 for the first), each id at most once; counts[id] samples carry skill id.
 * What `SkillGraphBuilder` accumulates, and what a corpus's skill index holds (skillIndex.ts).
 */
export interface SkillLists {
  names: readonly string[];
  counts: Int32Array;
  skillIds: Int32Array;
  sampleEnds: Int32Array;
  sampleCount: number;
}

/** The skill co-occurrence graph of samples given as skill lists. */
export function graphOfSkillLists(lists: SkillLists, options: SkillGraphOptions = {}): SkillGraph {
  const weighting = options.weighting ?? 'reference';
  const minCount = options.minCount ?? 1;
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new Error(`minCount must be a positive integer, got ${minCount}`);
  }
  const { names, counts } = lists;

  const kept: number[] = [];
  for (let id = 0; id < names.length; id++) if (counts[id] >= minCount) kept.push(id);
  kept.sort((a, b) =>
    counts[a] !== counts[b] ? counts[b] - counts[a] : names[a] < names[b] ? -1 : 1,
  );
  const n = kept.length;
  const nodeOf = new Int32Array(names.length).fill(-1);
  kept.forEach((id, node) => (nodeOf[id] = node));
  const nodeCounts = Int32Array.from(kept, (id) => counts[id]);

  const pairs = countPairs(lists, nodeOf, n);
  const us = new Int32Array(pairs.count);
  const vs = new Int32Array(pairs.count);
  const ws = new Float64Array(pairs.count);
  let edgeCount = 0;
  for (let i = 0; i < n; i++) {
    for (let k = pairs.rowStart[i]; k < pairs.rowStart[i] + pairs.rowLength[i]; k++) {
      const j = pairs.partners[k];
      const co = pairs.coCounts[k];
      const w = edgeWeight(weighting, co, nodeCounts[i], nodeCounts[j], pairs.taggedSamples);
      if (!(w > 0)) continue;
      us[edgeCount] = i;
      vs[edgeCount] = j;
      ws[edgeCount++] = w;
    }
  }
  const csr = buildSymmetricCsr(n, us, vs, ws, edgeCount);
  return {
    names: kept.map((id) => names[id]),
    counts: nodeCounts,
    offsets: csr.offsets,
    targets: csr.targets,
    weights: csr.weights,
  };
}

/**
 * Co-occurrence counts of node pairs (i < j), bucketed by i: each pair occurrence is written
 * into row i (4 bytes per occurrence), then each row is sorted and run-length counted in place.
 * Sequential memory access, unlike a hash table of pairs.
 */
function countPairs(lists: SkillLists, nodeOf: Int32Array, n: number) {
  const { skillIds, sampleCount } = lists;
  const listEnds = lists.sampleEnds;
  const skillIdCount = sampleCount === 0 ? 0 : listEnds[sampleCount - 1];
  // The samples' kept skills as node ids, each sample's sorted, one sample after another.
  const sampleNodes = new Int32Array(skillIdCount);
  const sampleEnds = new Int32Array(sampleCount);
  let sampleTotal = 0;
  let used = 0;
  let occurrences = 0;
  const rowStart = new Int32Array(n + 1);
  for (let s = 0, start = 0; s < sampleCount; start = listEnds[s++]) {
    const first = used;
    for (let k = start; k < listEnds[s]; k++) {
      const node = nodeOf[skillIds[k]];
      if (node < 0) continue;
      let at = used++;
      for (; at > first && sampleNodes[at - 1] > node; at--) sampleNodes[at] = sampleNodes[at - 1];
      sampleNodes[at] = node;
    }
    if (used === first) continue;
    sampleEnds[sampleTotal++] = used;
    const size = used - first;
    occurrences += (size * (size - 1)) / 2;
    for (let x = first; x < used - 1; x++) rowStart[sampleNodes[x] + 1] += used - 1 - x;
  }
  if (occurrences > 2 ** 31 - 1) {
    throw new Error(
      `too many skill pairs (${occurrences} co-occurrences); raise the minimum skill count`,
    );
  }
  for (let i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
  const partners = new Int32Array(rowStart[n]);
  const fill = rowStart.slice(0, n);
  for (let s = 0, first = 0; s < sampleTotal; first = sampleEnds[s++]) {
    const end = sampleEnds[s];
    for (let x = first; x < end - 1; x++) {
      const i = sampleNodes[x];
      for (let y = x + 1; y < end; y++) partners[fill[i]++] = sampleNodes[y];
    }
  }
  const coCounts = new Int32Array(rowStart[n]);
  const rowLength = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const start = rowStart[i];
    const row = partners.subarray(start, rowStart[i + 1]).sort();
    let unique = 0;
    for (let k = 0; k < row.length; k++) {
      if (unique > 0 && row[k] === partners[start + unique - 1]) {
        coCounts[start + unique - 1]++;
      } else {
        partners[start + unique] = row[k];
        coCounts[start + unique++] = 1;
      }
    }
    rowLength[i] = unique;
    count += unique;
  }
  return { rowStart, rowLength, partners, coCounts, count, taggedSamples: sampleTotal };
}

function edgeWeight(
  weighting: EdgeWeighting,
  co: number,
  countI: number,
  countJ: number,
  sampleTotal: number,
): number {
  switch (weighting) {
    case 'reference':
      return (co + 2) / ((countI + 1) * (countJ + 1));
    case 'count':
      return co;
    case 'pmi':
      return Math.log((co * sampleTotal) / (countI * countJ));
    case 'npmi':
      if (co === sampleTotal) return 1;
      return Math.log((co * sampleTotal) / (countI * countJ)) / -Math.log(co / sampleTotal);
  }
}
