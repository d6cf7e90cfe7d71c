/** Symmetric CSR arrays of an undirected graph, each row sorted by neighbour id. */
export interface SymmetricCsr {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  /** Two input edges joining the same nodes (input indices), the first such pair in node order. */
  duplicate?: [number, number];
}

/**
 * Builds the CSR of an undirected edge list: edge e (e < edgeCount) joins us[e] and vs[e]
 * (either orientation; no self-loops) with weight ws[e]. Every edge is stored both ways.
 *
 * The edges are visited in (low end, high end) order, radix-sorted unless the input already is
 * in that order, so rows come out sorted: row u receives its lower neighbours while the edges of
 * smaller nodes are visited, then its higher ones in ascending order.
 */
export function buildSymmetricCsr(
  nodeCount: number,
  us: Int32Array,
  vs: Int32Array,
  ws: Float64Array,
  edgeCount: number,
): SymmetricCsr {
  const order = edgeOrder(nodeCount, us, vs, edgeCount);
  const offsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    offsets[us[e] + 1]++;
    offsets[vs[e] + 1]++;
  }
  for (let u = 0; u < nodeCount; u++) offsets[u + 1] += offsets[u];

  const next = offsets.slice(0, nodeCount);
  const targets = new Int32Array(offsets[nodeCount]);
  const weights = new Float64Array(offsets[nodeCount]);
  let duplicate: [number, number] | undefined;
  let previousLow = -1;
  let previousHigh = -1;
  let previousEdge = -1;
  for (let i = 0; i < edgeCount; i++) {
    const e = order ? order[i] : i;
    const low = Math.min(us[e], vs[e]);
    const high = Math.max(us[e], vs[e]);
    if (low === previousLow && high === previousHigh && !duplicate) {
      duplicate = [Math.min(previousEdge, e), Math.max(previousEdge, e)];
    }
    previousLow = low;
    previousHigh = high;
    previousEdge = e;
    targets[next[low]] = high;
    weights[next[low]++] = ws[e];
    targets[next[high]] = low;
    weights[next[high]++] = ws[e];
  }
  return duplicate ? { offsets, targets, weights, duplicate } : { offsets, targets, weights };
}

/** Edge indices by (low end, high end), stable; undefined when the input is already in order. */
function edgeOrder(
  nodeCount: number,
  us: Int32Array,
  vs: Int32Array,
  edgeCount: number,
): Int32Array | undefined {
  let sorted = true;
  for (let e = 1; e < edgeCount && sorted; e++) {
    const low = Math.min(us[e], vs[e]);
    const previousLow = Math.min(us[e - 1], vs[e - 1]);
    sorted =
      low > previousLow ||
      (low === previousLow && Math.max(us[e], vs[e]) >= Math.max(us[e - 1], vs[e - 1]));
  }
  if (sorted) return undefined;

  // Least significant digit first: by high end, then stably by low end.
  const byHigh = countingSort(nodeCount, edgeCount, undefined, (e) => Math.max(us[e], vs[e]));
  return countingSort(nodeCount, edgeCount, byHigh, (e) => Math.min(us[e], vs[e]));
}

function countingSort(
  nodeCount: number,
  edgeCount: number,
  input: Int32Array | undefined,
  keyOf: (edge: number) => number,
): Int32Array {
  const start = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) start[keyOf(e) + 1]++;
  for (let k = 0; k < nodeCount; k++) start[k + 1] += start[k];
  const output = new Int32Array(edgeCount);
  for (let i = 0; i < edgeCount; i++) {
    const e = input ? input[i] : i;
    output[start[keyOf(e)]++] = e;
  }
  return output;
}

/**
 * The symmetric CSR of a graph given each edge once, in the row of its lower end (rows
 * ascending, every target above its row): row u receives its lower neighbours while the rows of
 * smaller nodes are read, then its own, so rows come out sorted.
 */
export function symmetricCsrOfUpper(
  nodeCount: number,
  upperOffsets: ArrayLike<number>,
  upperTargets: ArrayLike<number>,
  upperWeights: ArrayLike<number>,
): SymmetricCsr {
  const offsets = new Int32Array(nodeCount + 1);
  for (let u = 0; u < nodeCount; u++) {
    offsets[u + 1] += upperOffsets[u + 1] - upperOffsets[u];
    for (let k = upperOffsets[u]; k < upperOffsets[u + 1]; k++) offsets[upperTargets[k] + 1]++;
  }
  for (let u = 0; u < nodeCount; u++) offsets[u + 1] += offsets[u];
  const next = offsets.slice(0, nodeCount);
  const targets = new Int32Array(offsets[nodeCount]);
  const weights = new Float64Array(offsets[nodeCount]);
  for (let u = 0; u < nodeCount; u++) {
    for (let k = upperOffsets[u]; k < upperOffsets[u + 1]; k++) {
      const v = upperTargets[k];
      const w = upperWeights[k];
      targets[next[u]] = v;
      weights[next[u]++] = w;
      targets[next[v]] = u;
      weights[next[v]++] = w;
    }
  }
  return { offsets, targets, weights };
}
