import { describe, expect, it } from 'vitest';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { loweringThreshold, MergeLog } from '../../../../src/core/taxonomy/greedyMerge';
import { buildTopDownTree } from '../../../../src/core/taxonomy/topDownTree';
import { PlainGreedy } from './plainGreedy';
import { graphOfEdges } from './randomTrees';

/**
 * Copies of one small random motif under shuffled labels, hubs joined to the same node of many
 * copies, equal weights: identical copies make many pairs tie exactly (so the tie-break by labels
 * decides), and the hubs absorb nodes one at a time (long neighbour lists rescored on every
 * merge), so a stale key or a wrong tie-break shows.
 */
function hubGraph(random: () => number): SkillGraph {
  const motifSize = 2 + Math.floor(random() * 4);
  const motif: [number, number][] = [];
  for (let i = 1; i < motifSize; i++) motif.push([Math.floor(random() * i), i]);
  if (motifSize > 2 && random() < 0.5) motif.push([0, motifSize - 1]);
  const copies = 4 + Math.floor(random() * 12);
  const hubCount = 1 + Math.floor(random() * 3);
  const n = copies * motifSize + hubCount;
  const label = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [label[i], label[j]] = [label[j], label[i]];
  }
  const integer = random() < 0.8;
  const weight = (): number => (integer ? 1 + Math.floor(random() * 2) : 0.5 + random());
  const motifWeights = motif.map(() => weight());
  const between = new Map<number, number>();
  const add = (u: number, v: number, w: number): void => {
    const pair = Math.min(u, v) * n + Math.max(u, v);
    between.set(pair, (between.get(pair) ?? 0) + w);
  };
  for (let copy = 0; copy < copies; copy++) {
    const at = (i: number): number => label[copy * motifSize + i];
    motif.forEach(([i, j], e) => add(at(i), at(j), motifWeights[e]));
  }
  for (let hub = 0; hub < hubCount; hub++) {
    const position = Math.floor(random() * motifSize);
    const hubWeight = weight();
    for (let copy = 0; copy < copies; copy++) {
      if (random() < 0.7) add(label[n - 1 - hub], label[copy * motifSize + position], hubWeight);
    }
    if (hub > 0) add(label[n - 1 - hub], label[n - hub], weight());
  }
  const edges = [...between].map(([pair, w]): [number, number, number] => [
    Math.floor(pair / n),
    pair % n,
    w,
  ]);
  return graphOfEdges(n, edges);
}

/**
 * Replays the first level's merges on the whole graph and checks each one plainly: among all
 * adjacent pairs of the communities at that point, keyed as in spec/plainTopDown.ts, the merged
 * pair comes first in (key, low, high) order and lowers the entropy, with the logged weight
 * between; after the last merge no pair lowers it. Returns the number of merges checked.
 */
function checkMergeSequence(graph: SkillGraph, log: MergeLog): number {
  const greedy = new PlainGreedy(graph);
  const threshold = loweringThreshold(greedy.total);
  for (let step = 0; ; step++) {
    const best = greedy.bestPair();
    if (!best || !(best.key < threshold)) {
      expect(step, 'merges after the last lowering one').toBe(log.count);
      return step;
    }
    expect(step, 'a lowering merge left out').toBeLessThan(log.count);
    expect([log.low[step], log.high[step]], `merge ${step}`).toEqual([best.a, best.b]);
    expect(log.between[step], `weight between at merge ${step}`).toBe(best.w);
    greedy.merge(best);
  }
}

describe('GreedyMerger merge order', () => {
  it('takes the plainly best merge at every step on hub graphs with exact ties', () => {
    const random = mulberry32(21);
    let merges = 0;
    for (let trial = 0; trial < 60; trial++) {
      const graph = hubGraph(random);
      for (const candidateCacheSize of [1, 3, 8]) {
        const log = new MergeLog();
        buildTopDownTree(graph, 1, { candidateCacheSize, firstLevelMerges: log });
        merges += checkMergeSequence(graph, log);
      }
    }
    // The graphs do merge: the check is not vacuous.
    expect(merges).toBeGreaterThan(60 * 3 * 5);
  });
});
