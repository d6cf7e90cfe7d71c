import { describe, expect, it } from 'vitest';
import { taxonomyOutline } from '../../../../src/core/explore/taxonomyOutline';
import type { EncodingTree } from '../../../../src/core/taxonomy/encodingTree';
import { explorerCells, levelOf, pathTo } from '../../../../src/ui/taxonomy/explorerLayout';
import { graphOfEdges } from '../../core/taxonomy/randomTrees';

// 10 skills. Level 1: {0..7} and {8, 9}. Level 2: {0..5}, {6}, {7}, {8, 9}.
const tree: EncodingTree = {
  skillCount: 10,
  height: 2,
  communityOf: [
    Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]),
    Int32Array.from([0, 0, 0, 0, 0, 0, 1, 2, 3, 3]),
  ],
  communityParent: [Int32Array.from([0, 0]), Int32Array.from([0, 0, 0, 1])],
  communityCount: [2, 4],
};
const edges: [number, number, number][] = [];
for (let i = 0; i < 9; i++) edges.push([i, i + 1, 1]);
const outline = taxonomyOutline(graphOfEdges(10, edges), tree, 'standard');

describe('explorer layout', () => {
  it('lays out the subtree row by row, each node as wide as its share of skills', () => {
    const cells = explorerCells(outline, 0, 0);
    const round = (x: number) => Math.round(x * 1e9) / 1e9;
    expect(cells.map((c) => [c.node, c.row, round(c.x0), round(c.x1)])).toEqual([
      [0, 0, 0, 1],
      [1, 1, 0, 0.8],
      [2, 1, 0.8, 1],
      [3, 2, 0, 0.6],
      [4, 2, 0.6, 0.7],
      [5, 2, 0.7, 0.8],
      [6, 2, 0.8, 1],
    ]);
    expect(cells.map((c) => c.parent)).toEqual([-1, 0, 0, 1, 1, 1, 2]);
  });

  it('merges the children too thin to draw into one cell, and zooms into a node', () => {
    const cells = explorerCells(outline, 0, 0.12);
    const more = cells.filter((c) => c.kind === 'more');
    expect(more).toHaveLength(1);
    expect(more[0]).toMatchObject({ node: 1, merged: 2, size: 2, row: 2 });
    expect(more[0].x1 - more[0].x0).toBeCloseTo(0.2);
    // Zoomed into level-1 community 0 (node 1), its two small children are wide enough again.
    const zoomed = explorerCells(outline, 1, 0.12);
    expect(zoomed.map((c) => [c.node, c.kind])).toEqual([
      [1, 'node'],
      [3, 'node'],
      [4, 'node'],
      [5, 'node'],
    ]);
    expect(zoomed[1].x1).toBeCloseTo(0.75);
  });

  it('knows each node’s level and path', () => {
    expect([0, 1, 2, 3, 6].map((v) => levelOf(outline, v))).toEqual([0, 1, 1, 2, 2]);
    expect(pathTo(outline, 5)).toEqual([1, 5]);
    expect(pathTo(outline, 0)).toEqual([]);
  });
});
