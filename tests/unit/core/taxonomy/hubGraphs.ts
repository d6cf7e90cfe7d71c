import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import { graphOfEdges } from './randomTrees';

/**
 * Copies of one small random motif under shuffled labels, hubs joined to the same node of many
 * copies, equal weights: identical copies make many pairs tie exactly (so the tie-break by labels
 * decides), and the hubs absorb nodes one at a time (long neighbour lists rescored on every
 * merge), so a stale key or a wrong tie-break shows. With `integerWeights`, sums of weights are
 * exact in any order, so a plain greedy summing in another order ties exactly where the fast one
 * does.
 */
export function hubGraph(random: () => number, integerWeights: boolean): SkillGraph {
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
  const weight = (): number => (integerWeights ? 1 + Math.floor(random() * 2) : 0.5 + random());
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
