import { nodeCount, type SkillGraph } from '../../graph/skillGraph';

/**
 * The paper's top-down tree builder written plainly: the executable specification that
 * `buildTopDownTree` (../topDownTree.ts, with greedyMerge.ts) must equal. The tests compare the two
 * on random graphs; this one is quadratic and only for reading and checking.
 *
 * Level by level, each community of the level above is partitioned on its own induced subgraph:
 * 1. local degrees d_i (edges inside the community only) and local volume V_s = Σ d_i;
 * 2. every skill starts as its own community, labelled by its smallest member;
 * 3. at each step every adjacent pair (a < b) gets the key
 *      (inner(a) + inner(b) + w(a,b))·log2((vol(a) + vol(b)) / V_s) − innerLog(a) − innerLog(b),
 *    with innerLog(α) = inner(α)·log2(vol(α)/V_s). The key is V_s/2 times the change in the
 *    community's 2-level structural entropy, ΔSE = f(a∪b) − f(a) − f(b) with
 *    f(α) = ((vol(α) − g(α))/V_s)·log2(vol(α)/V_s) and vol − g = 2·inner;
 * 4. the pair with the lowest key, first in (key, a, b) order, is merged while its key is below
 *    −0.5e-12·V_s (ΔSE < −1e-12: exact ties such as two singletons without an edge never merge,
 *    defect 3 in docs/method.md); pairs without an edge have ΔSE ≥ 0 and are not considered.
 *
 * Returns the tree as `treeLevels` (../treeLevels.ts) gives it: levels[0] is the root, then each
 * level's communities, skills ascending, communities ordered by smallest member.
 */
export function plainTopDown(graph: SkillGraph, levels: number): number[][][] {
  const n = nodeCount(graph);
  const result: number[][][] = [[Array.from({ length: n }, (_, i) => i)]];
  for (let level = 1; level <= levels; level++) {
    const next: number[][] = [];
    for (const community of result[level - 1]) {
      const inside = new Set(community);
      const degree = new Map<number, number>();
      for (const u of community) {
        let d = 0;
        for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
          if (inside.has(graph.targets[k])) d += graph.weights[k];
        }
        degree.set(u, d);
      }
      const total = community.reduce((sum, u) => sum + degree.get(u)!, 0);
      const label = new Map(community.map((u) => [u, u]));
      const volume = new Map(community.map((u) => [u, degree.get(u)!]));
      const inner = new Map(community.map((u) => [u, 0]));
      const innerLog = new Map(community.map((u) => [u, 0]));
      while (community.length > 1 && total > 0) {
        const between = new Map<string, number>();
        for (const u of community) {
          for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
            const v = graph.targets[k];
            if (!inside.has(v) || u > v) continue;
            const a = Math.min(label.get(u)!, label.get(v)!);
            const b = Math.max(label.get(u)!, label.get(v)!);
            if (a === b) continue;
            between.set(`${a},${b}`, (between.get(`${a},${b}`) ?? 0) + graph.weights[k]);
          }
        }
        let best: { key: number; a: number; b: number; w: number } | undefined;
        for (const [pair, w] of between) {
          const [a, b] = pair.split(',').map(Number);
          const key =
            (inner.get(a)! + inner.get(b)! + w) *
              Math.log2((volume.get(a)! + volume.get(b)!) / total) -
            (innerLog.get(a)! + innerLog.get(b)!);
          if (
            !best ||
            key < best.key ||
            (key === best.key && (a < best.a || (a === best.a && b < best.b)))
          ) {
            best = { key, a, b, w };
          }
        }
        if (!best || !(best.key < -0.5e-12 * total)) break;
        const { a, b, w } = best;
        for (const u of community) if (label.get(u) === b) label.set(u, a);
        inner.set(a, inner.get(a)! + inner.get(b)! + w);
        volume.set(a, volume.get(a)! + volume.get(b)!);
        innerLog.set(a, inner.get(a)! * Math.log2(volume.get(a)! / total));
      }
      const groups = new Map<number, number[]>();
      for (const u of community) {
        const members = groups.get(label.get(u)!) ?? [];
        members.push(u);
        groups.set(label.get(u)!, members);
      }
      next.push(...groups.values());
    }
    result.push(next.sort((x, y) => x[0] - y[0]));
  }
  return result;
}
