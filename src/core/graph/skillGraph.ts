/**
 * An undirected weighted skill co-occurrence graph in CSR form.
 * Every edge is stored in both directions; there are no self-loops.
 * Typed arrays only, so the hot loops stay flat (and portable to WASM).
 */
export interface SkillGraph {
  /** Skill name per node id (for graph files without names: the id as a string). */
  names: string[];
  /** Samples carrying each skill (0 when the graph came from a graph file). */
  counts: Int32Array;
  /** CSR row starts, length nodeCount + 1. */
  offsets: Int32Array;
  /** Neighbour ids; neighbours of u are targets[offsets[u] .. offsets[u+1]). */
  targets: Int32Array;
  /** Edge weight parallel to `targets`. */
  weights: Float64Array;
}

export function nodeCount(graph: SkillGraph): number {
  return graph.offsets.length - 1;
}
