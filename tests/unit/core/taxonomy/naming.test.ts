import { describe, expect, it } from 'vitest';
import type { SkillGraph } from '../../../../src/core/graph/skillGraph';
import type { EncodingTree } from '../../../../src/core/taxonomy/encodingTree';
import {
  buildNamingMessages,
  centralSkillsByCommunity,
  fallbackNodeName,
  parseNodeName,
} from '../../../../src/core/taxonomy/naming';

// a-b 3, a-c 1, b-c 1, c-d 5; communities {a, b, c} and {d}.
const graph: SkillGraph = {
  names: ['a', 'b', 'c', 'd'],
  counts: Int32Array.from([5, 7, 1, 1]),
  offsets: Int32Array.from([0, 2, 4, 7, 8]),
  targets: Int32Array.from([1, 2, 0, 2, 0, 1, 3, 2]),
  weights: Float64Array.from([3, 1, 3, 1, 1, 1, 5, 5]),
};
const tree: EncodingTree = {
  skillCount: 4,
  height: 1,
  communityOf: [Int32Array.from([0, 0, 0, 1])],
  communityParent: [Int32Array.from([0, 0])],
  communityCount: [2],
};

describe('centrality', () => {
  it('orders every community of a level by weight inside it', () => {
    const of = tree.communityOf[0];
    // a and b both weigh 4 inside (c-d does not count); b carries more samples.
    expect(centralSkillsByCommunity(graph, of, 2, 10)).toEqual([[1, 0, 2], [3]]);
    expect(centralSkillsByCommunity(graph, of, 2, 1)).toEqual([[1], [3]]);
    // Whole graph: c 7, d 5, a 4, b 4.
    expect(centralSkillsByCommunity(graph, new Int32Array(4), 1, 4)).toEqual([[2, 3, 1, 0]]);
    expect(centralSkillsByCommunity(graph, new Int32Array(4), 1, 2)).toEqual([[2, 3]]);
  });
});

describe('naming', () => {
  it('asks for a short name from the central skills', () => {
    expect(buildNamingMessages(['python_programming', 'debugging'])[1].content).toBe(
      'These skills form one group, most central first: python_programming, debugging.\n' +
        'Give the group a short name of 1 to 4 words that covers them.\n' +
        'Answer with one JSON object only, like: {"name": "Data analysis"}',
    );
  });

  it('parses the answer', () => {
    expect(parseNodeName('{"name": "Python coding"}')).toEqual({
      ok: true,
      name: 'Python coding',
      repaired: [],
    });
    expect(parseNodeName('Name: "Data   Analysis".')).toEqual({
      ok: true,
      name: 'Data Analysis',
      repaired: ['plain text read as the name'],
    });
    expect(parseNodeName('{"name": "Everything about writing code well"}')).toEqual({
      ok: false,
      reason: 'the name has 5 words, more than 4',
    });
    expect(parseNodeName('{"name": "Data')).toEqual({
      ok: false,
      reason: 'output was cut off (no closing })',
    });
    expect(parseNodeName('{"title": "x"}')).toEqual({
      ok: false,
      reason: 'the JSON object has no "name" string',
    });
  });

  it('falls back to the top skills', () => {
    expect(fallbackNodeName(['python_programming', 'debugging', 'unit_testing'], 7)).toBe(
      'python_programming, debugging +5',
    );
    expect(fallbackNodeName(['poetry'], 1)).toBe('poetry');
    expect(fallbackNodeName(['a', 'b'], 2)).toBe('a, b');
  });
});
