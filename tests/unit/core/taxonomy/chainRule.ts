import { conditionalEntropyOfTerms, type TreeTerms } from '../../../../src/core/taxonomy/entropy';

/**
 * The reference's `calc_chain_rule_se`: H(s_1) + H(s_2 | s_1) + … + H(s_n | s_1..s_n-1), summed
 * step by step as it does. It telescopes to the entropy of the set: the order only moves rounding.
 */
export function chainRuleEntropy(terms: TreeTerms, sequence: number[]): number {
  sequence.forEach((skill, k) => {
    if (!Number.isInteger(skill) || skill < 0 || skill >= terms.skillCount) {
      throw new Error(`sequence[${k}]: ${skill} is not a skill id in 0..${terms.skillCount - 1}`);
    }
  });
  let total = 0;
  sequence.forEach((skill, k) => {
    total += conditionalEntropyOfTerms(terms, sequence.slice(0, k), [skill]);
  });
  return total;
}
