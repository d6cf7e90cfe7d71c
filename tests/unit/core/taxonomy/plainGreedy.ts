import { nodeCount, type SkillGraph } from '../../../../src/core/graph/skillGraph';

/** A pair of communities (labels a < b), its merge key and the weight between them. */
export interface PlainPair {
  key: number;
  a: number;
  b: number;
  w: number;
}

/**
 * The greedy agglomeration on the whole graph written plainly, as the specification both fast
 * greedies are checked against (greedyMerge.test.ts, optimisedTree.test.ts): communities labelled
 * by their smallest skill, weights between them summed afresh at every step, each pair keyed
 * ΔSE · V/2 as in spec/plainTopDown.ts, ties broken by (low label, high label).
 */
export class PlainGreedy {
  /** Community label of every skill. */
  readonly label: Int32Array;
  /** The graph volume V. */
  readonly total: number;
  private readonly volume: Float64Array;
  private readonly inner: Float64Array;
  private readonly innerLog: Float64Array;

  constructor(private readonly graph: SkillGraph) {
    const n = nodeCount(graph);
    this.label = Int32Array.from({ length: n }, (_, u) => u);
    this.volume = new Float64Array(n);
    for (let u = 0; u < n; u++) {
      for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
        this.volume[u] += graph.weights[e];
      }
    }
    this.total = this.volume.reduce((sum, d) => sum + d, 0);
    this.inner = new Float64Array(n);
    this.innerLog = new Float64Array(n);
  }

  /** The first adjacent pair in (key, a, b) order, or undefined when no pair is adjacent. */
  bestPair(): PlainPair | undefined {
    const { graph, label, inner, volume, innerLog, total } = this;
    const n = label.length;
    const between = new Map<number, number>();
    for (let u = 0; u < n; u++) {
      for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
        const v = graph.targets[e];
        if (u > v || label[u] === label[v]) continue;
        const pair = Math.min(label[u], label[v]) * n + Math.max(label[u], label[v]);
        between.set(pair, (between.get(pair) ?? 0) + graph.weights[e]);
      }
    }
    let best: PlainPair | undefined;
    for (const [pair, w] of between) {
      const a = Math.floor(pair / n);
      const b = pair % n;
      const key =
        (inner[a] + inner[b] + w) * Math.log2((volume[a] + volume[b]) / total) -
        (innerLog[a] + innerLog[b]);
      if (!best || key < best.key || (key === best.key && pair < best.a * n + best.b)) {
        best = { key, a, b, w };
      }
    }
    return best;
  }

  /** Merges community b into a (a < b), joined by weight w. */
  merge({ a, b, w }: PlainPair): void {
    const { label, inner, volume, innerLog, total } = this;
    for (let u = 0; u < label.length; u++) if (label[u] === b) label[u] = a;
    inner[a] = inner[a] + inner[b] + w;
    volume[a] += volume[b];
    innerLog[a] = inner[a] * Math.log2(volume[a] / total);
  }
}
