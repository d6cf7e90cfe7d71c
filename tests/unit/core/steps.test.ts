import { describe, expect, it } from 'vitest';
import {
  buildTaxonomy,
  buildTree,
  findCombinations,
  SkillGraphBuilder,
  treeBuilderNames,
  type TreeBuilderName,
} from '../../../src/core/steps';
import { searchCombinations } from '../../../src/core/taxonomy/combinationSearch';
import { treeMeasures, treeTerms } from '../../../src/core/taxonomy/entropy';
import { buildOptimisedTree } from '../../../src/core/taxonomy/optimisedTree';
import { buildTopDownTree } from '../../../src/core/taxonomy/topDownTree';
import { readDemoCorpus } from '../fixtures';

describe('the method in steps.ts', () => {
  const builder = new SkillGraphBuilder();
  for (const sample of readDemoCorpus()) builder.add(sample.skills);
  const graph = builder.build({ weighting: 'reference', minCount: 1 });

  it('builds the tree each builder name stands for, and measures it in the chosen mode', () => {
    expect(treeBuilderNames).toEqual(['top-down', 'optimised']);
    const topDown = buildTaxonomy(graph, {
      levels: 3,
      builder: 'top-down',
      entropyMode: 'reference',
    });
    expect(topDown.tree).toEqual(buildTopDownTree(graph, 3));
    expect(topDown.measures).toEqual(treeMeasures(graph, topDown.tree, 'reference'));
    expect(topDown.treeMs).toBeGreaterThanOrEqual(0);
    const optimised = buildTaxonomy(graph, {
      levels: 2,
      builder: 'optimised',
      entropyMode: 'standard',
    });
    expect(optimised.tree).toEqual(buildOptimisedTree(graph, 2));
    expect(optimised.measures).toEqual(treeMeasures(graph, optimised.tree, 'standard'));
    expect(() => buildTree(graph, { levels: 2, builder: 'sideways' as TreeBuilderName })).toThrow(
      'builder: unknown tree builder "sideways"',
    );
  });

  it('searches combinations on the terms of the chosen entropy mode', () => {
    const tree = buildTopDownTree(graph, 3);
    for (const entropyMode of ['standard', 'reference'] as const) {
      const options = { size: 3, beamWidth: 4, mode: 'local' as const, starts: [0, 5] };
      expect(findCombinations(graph, tree, { ...options, entropyMode })).toEqual(
        searchCombinations(treeTerms(graph, tree, entropyMode), tree, options),
      );
    }
  });
});
