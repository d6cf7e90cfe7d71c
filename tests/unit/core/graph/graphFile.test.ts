import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSymmetricCsr } from '../../../../src/core/graph/csr';
import { graphFromFile, graphToFile } from '../../../../src/core/graph/graphFile';
import { sharedPath } from '../../../sharedData';

describe('graphFromFile', () => {
  it('reads a reference graph, names defaulting to ids and counts to 0', () => {
    const file: unknown = JSON.parse(
      readFileSync(sharedPath('reference', 'graphs', 'ex10.json'), 'utf8'),
    );
    const graph = graphFromFile(file);
    expect(graph.names).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(Array.from(graph.counts)).toEqual(new Array(10).fill(0));
    // Node 2 joins 0 (1.0), 1 (0.7) and 3 (0.43).
    expect(Array.from(graph.targets.subarray(graph.offsets[2], graph.offsets[3]))).toEqual([
      0, 1, 3,
    ]);
    expect(Array.from(graph.weights.subarray(graph.offsets[2], graph.offsets[3]))).toEqual([
      1.0, 0.7, 0.43,
    ]);
    const back = graphToFile(graph);
    expect(back.edges).toEqual((file as { edges: unknown }).edges);
  });

  it('round-trips names and counts, and accepts edges in any order and orientation', () => {
    const graph = graphFromFile({
      nodes: 3,
      edges: [
        [2, 1, 0.5],
        [0, 2, 2],
      ],
      names: ['x', 'y', 'z'],
      counts: [3, 1, 2],
    });
    expect(graphToFile(graph)).toEqual({
      nodes: 3,
      edges: [
        [0, 2, 2],
        [1, 2, 0.5],
      ],
      names: ['x', 'y', 'z'],
      counts: [3, 1, 2],
    });
  });

  it('names the field or edge at fault', () => {
    const bad: [unknown, string][] = [
      [[], 'graph file must be a JSON object'],
      [{ nodes: -1, edges: [] }, 'nodes: must be a non-negative integer, got -1'],
      [{ nodes: 2.5, edges: [] }, 'nodes: must be a non-negative integer, got 2.5'],
      [{ nodes: 2 }, 'edges: must be an array of [u, v, w]'],
      [
        {
          nodes: 2,
          edges: [
            [0, 1, 1],
            [0, 1],
          ],
        },
        'edges[1]: must be [u, v, w], got [0,1]',
      ],
      [{ nodes: 2, edges: [[0, 5, 1]] }, 'edges[0]: v must be a node id in 0..1, got 5'],
      [{ nodes: 2, edges: [['0', 1, 1]] }, 'edges[0]: u must be a node id in 0..1, got "0"'],
      [{ nodes: 2, edges: [[1, 1, 1]] }, 'edges[0]: self-loop on node 1'],
      [
        { nodes: 2, edges: [[0, 1, 0]] },
        'edges[0]: weight must be a positive finite number, got 0',
      ],
      [
        { nodes: 2, edges: [[0, 1, -2]] },
        'edges[0]: weight must be a positive finite number, got -2',
      ],
      [
        { nodes: 2, edges: [[0, 1, 'x']] },
        'edges[0]: weight must be a positive finite number, got "x"',
      ],
      [
        {
          nodes: 3,
          edges: [
            [0, 1, 1],
            [1, 2, 1],
            [1, 0, 2],
          ],
        },
        'edges[2]: joins the same nodes as edges[0] (0, 1)',
      ],
      [{ nodes: 2, edges: [], names: ['a'] }, 'names: must be an array of 2 strings'],
      [{ nodes: 2, edges: [], names: ['a', 7] }, 'names[1]: must be a string, got 7'],
      [{ nodes: 1, edges: [], counts: [-1] }, 'counts[0]: must be a non-negative integer, got -1'],
      [{ nodes: 1, edges: [], counts: 3 }, 'counts: must be an array of 1 non-negative integers'],
    ];
    for (const [file, message] of bad) expect(() => graphFromFile(file)).toThrow(message);
  });
});

describe('buildSymmetricCsr', () => {
  it('sorts rows whatever the input order, and reports a duplicate (first in node order)', () => {
    const csr = buildSymmetricCsr(
      4,
      Int32Array.from([3, 1, 0, 2]),
      Int32Array.from([0, 2, 1, 0]),
      Float64Array.from([1, 2, 3, 4]),
      4,
    );
    expect(Array.from(csr.offsets)).toEqual([0, 3, 5, 7, 8]);
    expect(Array.from(csr.targets)).toEqual([1, 2, 3, 0, 2, 0, 1, 0]);
    expect(Array.from(csr.weights)).toEqual([3, 4, 1, 3, 2, 4, 2, 1]);
    expect(csr.duplicate).toBeUndefined();

    const duplicated = buildSymmetricCsr(
      3,
      Int32Array.from([1, 0, 2, 1]),
      Int32Array.from([2, 1, 1, 0]),
      Float64Array.from([1, 1, 1, 1]),
      4,
    );
    expect(duplicated.duplicate).toEqual([1, 3]);
  });
});
