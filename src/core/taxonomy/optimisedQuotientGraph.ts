/**
 * The graph between groups of a graph's vertices, for the optimised builder: the communities its
 * binary hierarchy's first stage leaves (optimisedBinaryHierarchy.ts) and the units refinement
 * sweeps above the last level (optimisedRefine.ts).
 *
 * Weights are summed, edges inside a group left out. Built from scratch, row x lists the groups
 * that the edges of x's members (ascending, each member's edges in source order) reach, in the
 * order they first reach them, each weight summed in that order: the trees built on the first
 * stage's graph depend on that order to the last bit. A graph patched from the one under an
 * earlier grouping (`patchedQuotientGraph`) has the same entries, in another order within a row
 * and with weights summed in another order (equal up to rounding).
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

/** The graph between the groups of `grouping` (one per vertex of `source`). */
export function quotientGraph(
  source: CsrGraph,
  grouping: Grouping,
  storage?: EntryStorage,
): CsrGraph {
  const { groupCount } = grouping;
  const size = source.targets.length;
  // The quotient has no more entries than its source.
  const fits = storage !== undefined && storage.targets.length >= size;
  const targets = fits ? storage.targets : new Int32Array(size);
  const weights = fits ? storage.weights : new Float64Array(size);
  const offsets = new Int32Array(groupCount + 1);
  const used = writeRows(source, grouping, null, targets, weights, offsets);
  return { offsets, targets: targets.subarray(0, used), weights: weights.subarray(0, used) };
}

/**
 * The graph between the groups of `grouping`, from `previous`: the one built from the same
 * (symmetric) `source` under an earlier grouping with no more groups. Only the rows of groups
 * that gained or lost a vertex are computed from the source; every other row keeps its entries
 * to the other unchanged groups, and takes its entries to the changed ones from their new rows
 * (w(y, x) = w(x, y)), appended in ascending group order. When few vertices moved this reads a
 * small part of the source: at 100k skills, hubs make a recomputed row touch nearly every other
 * row, but only in one or two entries each.
 */
export function patchedQuotientGraph(
  source: CsrGraph,
  grouping: Grouping,
  previous: { graph: CsrGraph; grouping: Grouping },
  storage?: EntryStorage,
): CsrGraph {
  const { groupOf, groupCount } = grouping;
  const before = previous.grouping.groupOf;
  const old = previous.graph;
  const n = groupOf.length;
  const changed = new Uint8Array(groupCount);
  changed.fill(1, previous.grouping.groupCount);
  for (let u = 0; u < n; u++) {
    if (before[u] !== groupOf[u]) {
      changed[before[u]] = 1;
      changed[groupOf[u]] = 1;
    }
  }

  // The changed groups' rows, one after another, in ascending group order.
  const { offsets: sourceOffsets } = source;
  let bound = 0;
  for (let u = 0; u < n; u++) {
    if (changed[groupOf[u]]) bound += sourceOffsets[u + 1] - sourceOffsets[u];
  }
  const changedStart = new Int32Array(groupCount + 1);
  const changedTargets = new Int32Array(bound);
  const changedWeights = new Float64Array(bound);
  writeRows(source, grouping, changed, changedTargets, changedWeights, changedStart);
  // Their entries transposed: for each unchanged group, its entries to changed ones.
  const addedStart = new Int32Array(groupCount + 1);
  for (let e = 0; e < changedStart[groupCount]; e++) {
    if (!changed[changedTargets[e]]) addedStart[changedTargets[e] + 1]++;
  }
  for (let y = 0; y < groupCount; y++) addedStart[y + 1] += addedStart[y];
  const addedFill = addedStart.slice(0, groupCount);
  const addedTargets = new Int32Array(addedStart[groupCount]);
  const addedWeights = new Float64Array(addedStart[groupCount]);
  for (let x = 0; x < groupCount; x++) {
    for (let e = changedStart[x]; e < changedStart[x + 1]; e++) {
      const y = changedTargets[e];
      if (changed[y]) continue;
      addedTargets[addedFill[y]] = x;
      addedWeights[addedFill[y]++] = changedWeights[e];
    }
  }

  const size = source.targets.length;
  const fits = storage !== undefined && storage.targets.length >= size;
  const targets = fits ? storage.targets : new Int32Array(size);
  const weights = fits ? storage.weights : new Float64Array(size);
  const offsets = new Int32Array(groupCount + 1);
  let used = 0;
  for (let x = 0; x < groupCount; x++) {
    if (changed[x]) {
      const start = changedStart[x];
      const length = changedStart[x + 1] - start;
      targets.set(changedTargets.subarray(start, start + length), used);
      weights.set(changedWeights.subarray(start, start + length), used);
      used += length;
    } else {
      for (let e = old.offsets[x]; e < old.offsets[x + 1]; e++) {
        const y = old.targets[e];
        if (changed[y]) continue;
        targets[used] = y;
        weights[used++] = old.weights[e];
      }
      for (let e = addedStart[x]; e < addedStart[x + 1]; e++) {
        targets[used] = addedTargets[e];
        weights[used++] = addedWeights[e];
      }
    }
    offsets[x + 1] = used;
  }
  return { offsets, targets: targets.subarray(0, used), weights: weights.subarray(0, used) };
}

/**
 * Writes the rows of the groups marked in `rows` (all when null) one after another from the
 * start of `rowTargets` / `rowWeights`, row x from `rowStart[x]` to `rowStart[x + 1]` (empty
 * where not marked); returns the entries written. One call writes them all, so that V8 optimises
 * its loops while they run (a call per row was deoptimised once per row at 100k skills).
 */
function writeRows(
  source: CsrGraph,
  { groupOf, groupCount }: Grouping,
  rows: Uint8Array | null,
  rowTargets: Int32Array,
  rowWeights: Float64Array,
  rowStart: Int32Array,
): number {
  const { offsets, targets, weights } = source;
  const n = offsets.length - 1;
  const memberStart = new Int32Array(groupCount + 1);
  for (let u = 0; u < n; u++) memberStart[groupOf[u] + 1]++;
  for (let x = 0; x < groupCount; x++) memberStart[x + 1] += memberStart[x];
  const fill = memberStart.slice(0, groupCount);
  const members = new Int32Array(n);
  for (let u = 0; u < n; u++) members[fill[groupOf[u]]++] = u;
  const accumulated = new Float64Array(groupCount);
  const touched = new Int32Array(groupCount);
  let at = 0;
  rowStart[0] = 0;
  for (let x = 0; x < groupCount; x++) {
    if (rows === null || rows[x]) {
      // Weights are positive: a group's sum is 0 until it is first reached. The edges inside x
      // are summed too (no test per edge) and left out when the row is written.
      let count = 0;
      for (let k = memberStart[x]; k < memberStart[x + 1]; k++) {
        const u = members[k];
        for (let e = offsets[u]; e < offsets[u + 1]; e++) {
          const y = groupOf[targets[e]];
          if (accumulated[y] === 0) touched[count++] = y;
          accumulated[y] += weights[e];
        }
      }
      for (let i = 0; i < count; i++) {
        const y = touched[i];
        if (y !== x) {
          rowTargets[at] = y;
          rowWeights[at++] = accumulated[y];
        }
        accumulated[y] = 0;
      }
    }
    rowStart[x + 1] = at;
  }
  return at;
}
