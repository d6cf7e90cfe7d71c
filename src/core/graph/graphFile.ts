import { buildSymmetricCsr } from './csr';
import { nodeCount, type SkillGraph } from './skillGraph';

/**
 * The graph file format: `{"nodes": n, "edges": [[u, v, w], ...], "names"?: [...], "counts"?: [...]}`,
 * each undirected edge once, no self-loops, weights positive. Other fields (e.g. `meta`) are ignored.
 */
export interface GraphFile {
  nodes: number;
  edges: [number, number, number][];
  names?: string[];
  counts?: number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a parsed graph file. Throws an Error naming the offending field or edge index
 * (e.g. `edges[12]: weight must be a positive finite number, got 0`).
 */
export function graphFromFile(value: unknown): SkillGraph {
  if (!isRecord(value)) throw new Error('graph file must be a JSON object');
  const n = value.nodes;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new Error(`nodes: must be a non-negative integer, got ${JSON.stringify(n)}`);
  }
  const edges = value.edges;
  if (!Array.isArray(edges)) throw new Error('edges: must be an array of [u, v, w]');

  const us = new Int32Array(edges.length);
  const vs = new Int32Array(edges.length);
  const ws = new Float64Array(edges.length);
  edges.forEach((edge: unknown, e) => {
    if (!Array.isArray(edge) || edge.length !== 3) {
      throw new Error(`edges[${e}]: must be [u, v, w], got ${JSON.stringify(edge)}`);
    }
    const [u, v, w] = edge as unknown[];
    for (const [field, end] of [
      ['u', u],
      ['v', v],
    ] as const) {
      if (typeof end !== 'number' || !Number.isInteger(end) || end < 0 || end >= n) {
        throw new Error(
          `edges[${e}]: ${field} must be a node id in 0..${n - 1}, got ${JSON.stringify(end)}`,
        );
      }
    }
    if (u === v) throw new Error(`edges[${e}]: self-loop on node ${u as number}`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) {
      throw new Error(
        `edges[${e}]: weight must be a positive finite number, got ${JSON.stringify(w)}`,
      );
    }
    us[e] = u as number;
    vs[e] = v as number;
    ws[e] = w;
  });

  const csr = buildSymmetricCsr(n, us, vs, ws, edges.length);
  if (csr.duplicate) {
    const [first, second] = csr.duplicate;
    throw new Error(
      `edges[${second}]: joins the same nodes as edges[${first}] (${us[first]}, ${vs[first]})`,
    );
  }
  return {
    names: readNames(value.names, n),
    counts: readCounts(value.counts, n),
    offsets: csr.offsets,
    targets: csr.targets,
    weights: csr.weights,
  };
}

function readNames(names: unknown, n: number): string[] {
  if (names === undefined) return Array.from({ length: n }, (_, id) => String(id));
  if (!Array.isArray(names) || names.length !== n) {
    throw new Error(`names: must be an array of ${n} strings`);
  }
  names.forEach((name: unknown, id) => {
    if (typeof name !== 'string') {
      throw new Error(`names[${id}]: must be a string, got ${JSON.stringify(name)}`);
    }
  });
  return names as string[];
}

function readCounts(counts: unknown, n: number): Int32Array {
  if (counts === undefined) return new Int32Array(n);
  if (!Array.isArray(counts) || counts.length !== n) {
    throw new Error(`counts: must be an array of ${n} non-negative integers`);
  }
  return Int32Array.from(counts, (count: unknown, id) => {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 2 ** 31 - 1) {
      throw new Error(
        `counts[${id}]: must be a non-negative integer, got ${JSON.stringify(count)}`,
      );
    }
    return count;
  });
}

/** The graph in the file format, with names and counts; edges listed once (u < v), by u then v. */
export function graphToFile(graph: SkillGraph): Required<GraphFile> {
  const n = nodeCount(graph);
  const edges: [number, number, number][] = [];
  for (let u = 0; u < n; u++) {
    for (let k = graph.offsets[u]; k < graph.offsets[u + 1]; k++) {
      const v = graph.targets[k];
      if (u < v) edges.push([u, v, graph.weights[k]]);
    }
  }
  return { nodes: n, edges, names: graph.names, counts: Array.from(graph.counts) };
}
