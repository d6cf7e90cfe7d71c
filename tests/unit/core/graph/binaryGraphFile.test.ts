import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { powerLawGraph } from '../../../../bench/powerLawGraph';
import {
  graphFromBinary,
  graphToBinary,
  isBinaryGraph,
} from '../../../../src/core/graph/binaryGraphFile';
import { symmetricCsrOfUpper } from '../../../../src/core/graph/csr';
import { graphFromFile, graphToFile } from '../../../../src/core/graph/graphFile';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import { sharedPath } from '../../../sharedData';
import { referenceGraphNames } from '../taxonomy/referenceFixtures';

function plain(graph: SkillGraph) {
  return {
    names: graph.names,
    counts: Array.from(graph.counts),
    offsets: Array.from(graph.offsets),
    targets: Array.from(graph.targets),
    weights: Array.from(graph.weights),
  };
}

/** A header field of a binary graph file, rewritten. */
function withHeader(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

describe('the binary graph file', () => {
  it('round-trips every reference graph exactly, and equals its JSON file', () => {
    for (const name of referenceGraphNames) {
      const graph = graphFromFile(
        JSON.parse(readFileSync(sharedPath('reference', 'graphs', `${name}.json`), 'utf8')),
      );
      const bytes = graphToBinary(graph);
      expect(isBinaryGraph(bytes)).toBe(true);
      const back = graphFromBinary(bytes);
      expect(plain(back), name).toEqual(plain(graph));
      expect(graphToFile(back)).toEqual(graphToFile(graph));
    }
  });

  it('round-trips names (any Unicode, empty ones too), counts and real weights', () => {
    const graph = powerLawGraph({ skills: 300, seed: 3 });
    graph.names[0] = '';
    graph.names[1] = 'naïve 数据 🚀\n"quoted", tab\there';
    const back = graphFromBinary(graphToBinary(graph));
    expect(plain(back)).toEqual(plain(graph));
  });

  it('reads bytes at any offset of a larger buffer (copying when not aligned)', () => {
    const graph = powerLawGraph({ skills: 50, seed: 4 });
    const bytes = graphToBinary(graph);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(plain(graphFromBinary(padded.subarray(3)))).toEqual(plain(graph));
  });

  it('keeps graphs without nodes or edges', () => {
    for (const graph of [
      graphFromFile({ nodes: 0, edges: [] }),
      graphFromFile({ nodes: 3, edges: [] }),
    ]) {
      expect(plain(graphFromBinary(graphToBinary(graph)))).toEqual(plain(graph));
    }
  });

  it('is smaller than the JSON file', () => {
    const graph = powerLawGraph({ skills: 1000, seed: 1 });
    const json = JSON.stringify(graphToFile(graph));
    expect(graphToBinary(graph).length).toBeLessThan(json.length / 2);
  });

  it('names the field at fault', () => {
    const bytes = graphToBinary(
      graphFromFile({
        nodes: 3,
        edges: [
          [0, 1, 0.5],
          [1, 2, 2],
        ],
        names: ['a', 'b', 'c'],
        counts: [1, 2, 3],
      }),
    );
    // Header 24 bytes, weights 16, offsets 16, targets 8, counts 12, name lengths 12, names 3.
    const weightsAt = 24;
    const offsetsAt = weightsAt + 16;
    const targetsAt = offsetsAt + 16;
    const countsAt = targetsAt + 8;
    const lengthsAt = countsAt + 12;
    const patched = (at: number, write: (view: DataView) => void) => {
      const copy = bytes.slice();
      write(new DataView(copy.buffer, at));
      return copy;
    };
    const bad: [Uint8Array, string][] = [
      [new TextEncoder().encode('{"nodes": 3}'), 'magic: not a binary graph file'],
      [bytes.subarray(0, 12), 'header: 12 bytes'],
      [withHeader(bytes, 8, 2), 'version: 2 is not supported (this reader knows 1)'],
      [
        withHeader(bytes, 12, 4),
        'length: 91 bytes, but 4 nodes, 2 edges and 3 name bytes make 103',
      ],
      [
        bytes.subarray(0, bytes.length - 1),
        'length: 90 bytes, but 3 nodes, 2 edges and 3 name bytes make 91',
      ],
      [
        patched(weightsAt + 8, (v) => v.setFloat64(0, 0, true)),
        'weights[1]: must be a positive finite number, got 0',
      ],
      [
        patched(weightsAt, (v) => v.setFloat64(0, NaN, true)),
        'weights[0]: must be a positive finite number, got NaN',
      ],
      [patched(offsetsAt, (v) => v.setUint32(0, 1, true)), 'offsets[0]: must be 0, got 1'],
      [
        patched(offsetsAt + 12, (v) => v.setUint32(0, 1, true)),
        'offsets[3]: must be the edge count 2, got 1',
      ],
      [patched(offsetsAt + 4, (v) => v.setUint32(0, 3, true)), 'offsets[1]: 3 is not in 0..2'],
      [
        patched(targetsAt, (v) => v.setUint32(0, 7, true)),
        'targets[0]: node 7 is out of range 0..2',
      ],
      [
        patched(targetsAt + 4, (v) => v.setUint32(0, 0, true)),
        'targets[1]: edge (1, 0) must be listed in row 0, its lower end',
      ],
      [
        patched(countsAt + 4, (v) => v.setInt32(0, -5, true)),
        'counts[1]: must be non-negative, got -5',
      ],
      [
        patched(lengthsAt, (v) => v.setUint32(0, 3, true)),
        'nameLengths[1]: names run past the 3 name bytes',
      ],
      [
        patched(lengthsAt, (v) => v.setUint32(0, 0, true)),
        'nameLengths: sum to 2 bytes, the header says 3',
      ],
      [patched(lengthsAt + 12, (v) => v.setUint8(0, 0xff)), 'names[0]: not valid UTF-8'],
    ];
    for (const [file, message] of bad)
      expect(() => graphFromBinary(file), message).toThrow(message);
  });

  it('rejects a row that is not ascending', () => {
    const graph = graphFromFile({
      nodes: 3,
      edges: [
        [0, 1, 1],
        [0, 2, 1],
      ],
    });
    const bytes = graphToBinary(graph);
    const targetsAt = 24 + 16 + 16;
    const view = new DataView(bytes.buffer);
    view.setUint32(targetsAt, 2, true);
    view.setUint32(targetsAt + 4, 1, true);
    expect(() => graphFromBinary(bytes)).toThrow('targets[1]: row 0 is not ascending (2 then 1)');
  });
});

describe('symmetricCsrOfUpper', () => {
  it('gives sorted rows with every edge both ways', () => {
    // Edges (0,2), (0,3), (1,2), (2,3).
    const csr = symmetricCsrOfUpper(4, [0, 2, 3, 4, 4], [2, 3, 2, 3], [1, 2, 3, 4]);
    expect(Array.from(csr.offsets)).toEqual([0, 2, 3, 6, 8]);
    expect(Array.from(csr.targets)).toEqual([2, 3, 2, 0, 1, 3, 0, 2]);
    expect(Array.from(csr.weights)).toEqual([1, 2, 3, 1, 3, 4, 2, 4]);
  });
});
