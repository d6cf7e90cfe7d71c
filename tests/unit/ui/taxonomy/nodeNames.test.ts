import { describe, expect, it } from 'vitest';
import { PackedNameList, packNames } from '../../../../src/core/explore/packedNames';
import { taxonomyOutline } from '../../../../src/core/explore/taxonomyOutline';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import type { EncodingTree } from '../../../../src/core/taxonomy/encodingTree';
import {
  CommunityNames,
  keyOfOutlineNode,
  nodesToName,
  nodeTops,
  outlineNodeOf,
  treeNodeOf,
  treeNodes,
  type GivenName,
} from '../../../../src/ui/taxonomy/nodeNames';
import { graphOfEdges } from '../../core/taxonomy/randomTrees';

// Skills 0..5. Level 1: {0,1,2,3} and {4,5}. Level 2: {0,1}, {2,3}, and {4,5} again (not split).
// Level 3: {0}, {1}, {2,3} again, {4,5} again.
const tree: Omit<EncodingTree, 'height'> = {
  skillCount: 6,
  communityOf: [
    Int32Array.from([0, 0, 0, 0, 1, 1]),
    Int32Array.from([0, 0, 1, 1, 2, 2]),
    Int32Array.from([0, 1, 2, 2, 3, 3]),
  ],
  communityParent: [
    Int32Array.from([0, 0]),
    Int32Array.from([0, 0, 1]),
    Int32Array.from([0, 0, 1, 2]),
  ],
  communityCount: [2, 3, 4],
};
const skillNames = ['a', 'b', 'c', 'd', 'e', 'f'];
const packedSkillNames = new PackedNameList();
packedSkillNames.append(packNames(skillNames));
const counts = Int32Array.from([9, 8, 7, 6, 5, 4]);
// a-b 3, a-c 1, b-d 1, c-d 1, e-f 1: inside {a, b, c, d}, a and b weigh 4, c and d 2.
const graph = graphOfEdges(6, [
  [0, 1, 3],
  [0, 2, 1],
  [1, 3, 1],
  [2, 3, 1],
  [4, 5, 1],
]);
graph.names = skillNames;
graph.counts = counts;

describe('taxonomy nodes', () => {
  it('lists each node once, at the highest level of a community that continues unsplit', () => {
    const outline = outlineOf(graph);
    const tops = nodeTops(outline);
    const nodes = treeNodes(outline, tops);
    expect(nodes.map((n) => [n.key, n.lastLevel, n.skillCount])).toEqual([
      ['1:0', 1, 4],
      ['1:1', 3, 2],
      ['2:0', 2, 2],
      ['2:1', 3, 2],
      ['3:0', 3, 1],
      ['3:1', 3, 1],
    ]);
    const nodeOf = (key: string) => keyOfOutlineNode(outline, tops[outlineNodeOf(outline, key)]);
    expect(nodeOf('2:2')).toBe('1:1');
    expect(nodeOf('3:3')).toBe('1:1');
    expect(nodeOf('3:2')).toBe('2:1');
    expect(nodeOf('2:0')).toBe('2:0');
    expect(tops.length - 1).toBe(9);
  });

  it('names a single top community, which is not the root', () => {
    const single = taxonomyOutline(
      graphOfEdges(2, [[0, 1, 1]]),
      {
        skillCount: 2,
        height: 1,
        communityOf: [Int32Array.from([0, 0])],
        communityParent: [Int32Array.from([0])],
        communityCount: [1],
      },
      'standard',
    );
    expect(treeNodes(single, nodeTops(single)).map((n) => n.key)).toEqual(['1:0']);
  });
});

describe('tree nodes from the outline', () => {
  it('finds each node by its key, each with its last level, and no community continued', () => {
    const outline = outlineOf(graph);
    const tops = nodeTops(outline);
    const nodes = treeNodes(outline, tops);
    for (const key of ['1:0', '1:1', '2:0', '2:1', '2:2', '3:0', '3:1', '3:2', '3:3']) {
      expect(treeNodeOf(outline, tops, key), key).toEqual(nodes.find((n) => n.key === key));
    }
    expect(treeNodeOf(outline, tops, '2:2')).toBeUndefined();
    expect(treeNodeOf(outline, tops, '4:0')).toBeUndefined();
    expect(treeNodeOf(outline, tops, '2:9')).toBeUndefined();
  });
});

describe('nodes a naming run asks about', () => {
  it('leaves alone what the user named and what the same model named before', () => {
    const outline = outlineOf(graph);
    const nodes = treeNodes(outline, nodeTops(outline));
    const stored: Record<string, GivenName> = {
      '1:0': { name: 'Mine', source: 'user' },
      '1:1': { name: 'Old', source: 'model', model: 'm' },
      '2:0': { name: 'Other', source: 'model', model: 'other' },
    };
    const plan = nodesToName(nodes, stored, 'm');
    expect(plan.ask.map((n) => n.key)).toEqual(['2:0', '2:1', '3:0', '3:1']);
    expect(plan.namedByUser).toBe(1);
    expect(plan.namedByModel).toBe(1);
    expect(nodesToName(nodes, stored, 'other').ask.map((n) => n.key)).toEqual([
      '1:1',
      '2:1',
      '3:0',
      '3:1',
    ]);
  });
});

/** The outline the explore worker would send for `tree` over `of`. */
const outlineOf = (of: SkillGraph) =>
  taxonomyOutline(of, { ...tree, height: tree.communityOf.length }, 'standard');

describe('community names', () => {
  it('shows a node’s stored name on every community of it, else its most central skills', () => {
    const outline = outlineOf(graph);
    const names = new CommunityNames(outline, nodeTops(outline), packedSkillNames, {
      '1:1': { name: 'Letters e and f', source: 'model', model: 'm' },
      '2:1': { name: 'Mine', source: 'user' },
    });
    expect(names.size).toBe(9);
    for (const key of ['1:1', '2:2', '3:3']) {
      expect(names.get(key)).toEqual({
        name: 'Letters e and f',
        source: 'model',
        model: 'm',
        node: '1:1',
        automatic: 'e, f',
      });
    }
    expect(names.get('3:2')).toMatchObject({ name: 'Mine', source: 'user', node: '2:1' });
    expect(names.get('1:0')).toEqual({
      name: 'a, b +2',
      source: 'automatic',
      node: '1:0',
      automatic: 'a, b +2',
    });
    expect(names.get('3:0')).toMatchObject({ name: 'a', source: 'automatic' });
  });

  it('names a community by its most central skills even where they are not the most frequent', () => {
    // a-c 3, a-b 1, c-d 1: inside {a, b, c, d}, a and c weigh 4, b and d only 1.
    const central = graphOfEdges(6, [
      [0, 2, 3],
      [0, 1, 1],
      [2, 3, 1],
      [4, 5, 1],
    ]);
    central.names = skillNames;
    central.counts = counts;
    const outline = outlineOf(central);
    const names = new CommunityNames(outline, nodeTops(outline), packedSkillNames, {});
    expect(names.get('1:0')?.automatic).toBe('a, c +2');
  });
});
