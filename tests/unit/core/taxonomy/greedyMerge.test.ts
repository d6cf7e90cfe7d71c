import { describe, expect, it } from 'vitest';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import { mulberry32 } from '../../../../src/core/random/mulberry32';
import { loweringThreshold, MergeLog } from '../../../../src/core/taxonomy/greedyMerge';
import { buildTopDownTree } from '../../../../src/core/taxonomy/topDownTree';
import { PlainGreedy } from './plainGreedy';
import { hubGraph } from './hubGraphs';

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
      const graph = hubGraph(random, random() < 0.8);
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
