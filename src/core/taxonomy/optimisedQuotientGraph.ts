/**
 * The graph between groups of a graph's vertices, for the optimised builder: the communities its
 * binary hierarchy's first stage leaves (optimisedBinaryHierarchy.ts) and the units refinement
 * sweeps above the last level (optimisedRefine.ts).
 *
 * Weights are summed, edges inside a group left out. Row x lists the groups that the edges of x's
 * members (ascending, each member's edges in source order) reach, in the order they first reach
 * them, each weight summed in that order. The trees built on these graphs depend on that order to
 * the last bit, so a graph built from the one under an earlier grouping is the same as one built
 * from scratch.
 */

/** A graph in CSR form. */
export interface CsrGraph {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
}

/** A group (0..groupCount-1) for every vertex of a graph. */
export interface Grouping {
  groupOf: Int32Array;
  groupCount: number;
}

/** Arrays a quotient graph may write its entries into instead of allocating them. */
export interface EntryStorage {
  targets: Int32Array;
  weights: Float64Array;
}

/** The whole arrays a graph's entries are a prefix of. */
export function storageOf({ targets, weights }: CsrGraph): EntryStorage {
  return { targets: new Int32Array(targets.buffer), weights: new Float64Array(weights.buffer) };
}

/**
 * The graph between the groups of `grouping` (one per vertex of `source`). With `previous`, the
 * graph built from `source` under an earlier grouping with no more groups: rows no moved vertex
 * touches (not its old or new group, nor the group of a neighbour) are copied from it, as
 * computing them again gives the same row.
 */
export function quotientGraph(
  source: CsrGraph,
  { groupOf, groupCount }: Grouping,
  previous?: { graph: CsrGraph; grouping: Grouping },
  storage?: EntryStorage,
): CsrGraph {
  const n = source.offsets.length - 1;
  const { offsets, targets, weights } = source;
  const memberStart = new Int32Array(groupCount + 1);
  for (let u = 0; u < n; u++) memberStart[groupOf[u] + 1]++;
  for (let x = 0; x < groupCount; x++) memberStart[x + 1] += memberStart[x];
  const fill = memberStart.slice(0, groupCount);
  const members = new Int32Array(n);
  for (let u = 0; u < n; u++) members[fill[groupOf[u]]++] = u;

  // Rows to compute: all, or those a moved vertex touches.
  const redo = new Uint8Array(groupCount).fill(previous ? 0 : 1);
  if (previous) {
    const before = previous.grouping;
    redo.fill(1, before.groupCount);
    for (let u = 0; u < n; u++) {
      if (before.groupOf[u] === groupOf[u]) continue;
      redo[before.groupOf[u]] = 1;
      redo[groupOf[u]] = 1;
      for (let e = offsets[u]; e < offsets[u + 1]; e++) redo[groupOf[targets[e]]] = 1;
    }
  }

  const accumulated = new Float64Array(groupCount);
  const seen = new Int32Array(groupCount).fill(-1);
  const touched = new Int32Array(groupCount);
  const groupOffsets = new Int32Array(groupCount + 1);
  // The quotient has no more entries than its source.
  const fits = storage !== undefined && storage.targets.length >= targets.length;
  const groupTargets = fits ? storage.targets : new Int32Array(targets.length);
  const groupWeights = fits ? storage.weights : new Float64Array(targets.length);
  let used = 0;
  for (let x = 0; x < groupCount;) {
    if (!redo[x]) {
      // A run of rows to copy, in one piece.
      const { offsets: rowStart, targets: rowTargets, weights: rowWeights } = previous!.graph;
      let end = x + 1;
      while (end < groupCount && !redo[end]) end++;
      const shift = used - rowStart[x];
      groupTargets.set(rowTargets.subarray(rowStart[x], rowStart[end]), used);
      groupWeights.set(rowWeights.subarray(rowStart[x], rowStart[end]), used);
      for (; x < end; x++) groupOffsets[x + 1] = rowStart[x + 1] + shift;
      used = groupOffsets[end];
      continue;
    }
    let count = 0;
    for (let k = memberStart[x]; k < memberStart[x + 1]; k++) {
      const u = members[k];
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const y = groupOf[targets[e]];
        if (y === x) continue;
        if (seen[y] !== x) {
          seen[y] = x;
          accumulated[y] = 0;
          touched[count++] = y;
        }
        accumulated[y] += weights[e];
      }
    }
    for (let i = 0; i < count; i++) {
      groupTargets[used] = touched[i];
      groupWeights[used++] = accumulated[touched[i]];
    }
    groupOffsets[++x] = used;
  }
  return {
    offsets: groupOffsets,
    targets: groupTargets.subarray(0, used),
    weights: groupWeights.subarray(0, used),
  };
}
