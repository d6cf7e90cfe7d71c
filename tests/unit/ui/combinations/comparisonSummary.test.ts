import { describe, expect, it } from 'vitest';
import type { MethodMeasures } from '../../../../src/core/combinations/compareMethods';
import { partnerDiversity } from '../../../../src/core/combinations/combinationFacts';
import { comparisonSummary } from '../../../../src/ui/combinations/comparisonSummary';

function row(
  method: MethodMeasures['method'],
  entropy: number,
  depth: number,
  unseen: number,
  scope?: number,
): MethodMeasures {
  return {
    method,
    ...(scope === undefined ? {} : { scope }),
    sets: 60,
    shortSets: 0,
    meanConditionalEntropy: entropy,
    unseenShare: unseen,
    meanCommonDepth: depth,
    partners: partnerDiversity([], 60),
  };
}

describe('the comparison in words', () => {
  it('says below random when STEPS local adds less information, as on the demo corpus at k = 3', () => {
    const rows = [
      row('steps-local', 0.0751, 1.5, 0.55, 0),
      row('random', 0.4229, 0, 1),
      row('steps-local', 0.0395, 2, 0.22, 2),
    ];
    expect(comparisonSummary(rows, 3)).toEqual([
      'Information: STEPS local adds a mean H(Y | x) of 0.075, random sets 0.423: below random at k = 3.',
      'Coherence: its sets share a community 1.50 levels deep on average, random sets 0.00: more coherent than random.',
      'New to the corpus: 55 % of its sets occur in no sample, 100 % of the random ones.',
    ]);
  });

  it('says above random when it is, and nothing without both rows', () => {
    const rows = [row('steps-local', 1.1, 0, 1, 0), row('random', 1.07, 0.5, 1)];
    const [information, coherence] = comparisonSummary(rows, 7);
    expect(information).toContain('above random at k = 7');
    expect(coherence).toContain('less coherent than random');
    expect(comparisonSummary([row('random', 1, 0, 1)], 3)).toEqual([]);
  });
});
