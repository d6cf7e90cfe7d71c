import { describe, expect, it } from 'vitest';
import { randomSets } from '../../../../src/core/combinations/baselines';
import { cooccurrence } from '../../../../src/core/combinations/combinationFacts';
import {
  buildTree,
  compareMethods,
  findCombinations,
  indexSamples,
  SkillGraphBuilder,
} from '../../../../src/core/steps';
import { conditionalEntropyOfTerms, treeTerms } from '../../../../src/core/taxonomy/entropy';
import { readDemoCorpus } from '../../fixtures';

describe('STEPS against its baselines', () => {
  const samples = readDemoCorpus().map((sample) => sample.skills);
  const builder = new SkillGraphBuilder();
  for (const skills of samples) builder.add(skills);
  const graph = builder.build({ weighting: 'reference', minCount: 1 });
  const index = indexSamples(graph.names, samples);
  const { tree } = buildTree(graph, { levels: 3, builder: 'top-down' });
  const options = { size: 3, beamWidth: 5, seed: 3, entropyMode: 'standard' as const };
  const rows = compareMethods(graph, tree, index, options);

  it('has one row per method, then STEPS local at every coherence scope', () => {
    expect(rows.map((row) => [row.method, row.scope])).toEqual([
      ['steps-local', 0],
      ['steps-most-coherent', 0],
      ['reference-global', undefined],
      ['reference-local', undefined],
      ['random', undefined],
      ['frequent', undefined],
      ...Array.from({ length: tree.height }, (_, l) => ['steps-local', l + 1]),
    ]);
    for (const row of rows) expect(row.sets).toBe(tree.skillCount);
    const reported: [number, number][] = [];
    const again = compareMethods(graph, tree, index, {
      ...options,
      onRowDone: (done, total) => reported.push([done, total]),
    });
    expect(again).toEqual(rows);
    expect(reported).toEqual(rows.map((_, i) => [i + 1, rows.length]));
  });

  it('measures each method’s sets: H(Y|x), unseen share, common depth, partners', () => {
    const terms = treeTerms(graph, tree, 'standard');
    const local = findCombinations(graph, tree, {
      ...options,
      perStart: 1,
      entropyMode: 'standard',
    });
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const [stepsLocal] = rows;
    expect(stepsLocal.meanConditionalEntropy).toBeCloseTo(mean(local.map((c) => c.score)), 12);
    expect(stepsLocal.meanCommonDepth).toBeCloseTo(
      mean(local.map((c) => c.lowestCommonNode.level)),
      12,
    );
    expect(stepsLocal.unseenShare).toBeCloseTo(
      mean(local.map((c) => (cooccurrence(index, c.skills) === 0 ? 1 : 0))),
      12,
    );
    const starts = Array.from({ length: tree.skillCount }, (_, i) => i);
    const random = randomSets(tree.skillCount, starts, 3, 3);
    const randomRow = rows.find((row) => row.method === 'random')!;
    expect(randomRow.meanConditionalEntropy).toBeCloseTo(
      mean(
        random.map(({ start, skills }) =>
          conditionalEntropyOfTerms(terms, [start], skills.slice(1)),
        ),
      ),
      12,
    );
  });

  it('a tighter coherence scope never lowers the common depth below the scope', () => {
    for (const row of rows.filter((r) => r.method === 'steps-local' && r.scope! > 0)) {
      expect(row.meanCommonDepth).toBeGreaterThanOrEqual(row.scope!);
    }
  });

  it('STEPS searches (they maximise H(Y|x)) score at least the sets they could have chosen', () => {
    // A beam search over every skill scores, on average, at least the random and frequent sets.
    const global = rows.find((row) => row.method === 'reference-global')!;
    for (const method of ['random', 'frequent', 'steps-local'] as const) {
      const row = rows.find((r) => r.method === method)!;
      expect(global.meanConditionalEntropy).toBeGreaterThanOrEqual(row.meanConditionalEntropy);
    }
    // The frequent sets are the ones the corpus already has.
    expect(rows.find((row) => row.method === 'frequent')!.unseenShare).toBeLessThan(0.1);
  });
});
