// What the comparison says about STEPS local against random sets, in words taken from the numbers:
// above or below, whichever it is (README.md's measured table has STEPS local below random on
// entropy at k = 3 on the demo corpus).
import type { MethodMeasures } from '../../core/combinations/compareMethods';

const percent = (share: number) => `${Math.round(100 * share)} %`;

/** One sentence per axis, or none when either row is missing. */
export function comparisonSummary(rows: readonly MethodMeasures[], size: number): string[] {
  const local = rows.find((row) => row.method === 'steps-local' && !row.scope);
  const random = rows.find((row) => row.method === 'random');
  if (!local || !random) return [];
  const compare = (ours: number, theirs: number, higher: string, lower: string) =>
    ours > theirs ? higher : ours < theirs ? lower : 'level with random';
  const entropy = compare(
    local.meanConditionalEntropy,
    random.meanConditionalEntropy,
    'above random',
    'below random',
  );
  const coherence = compare(
    local.meanCommonDepth,
    random.meanCommonDepth,
    'more coherent than random',
    'less coherent than random',
  );
  return [
    `Information: STEPS local adds a mean H(Y | x) of ${local.meanConditionalEntropy.toFixed(3)}, random sets ${random.meanConditionalEntropy.toFixed(3)}: ${entropy} at k = ${size}.`,
    `Coherence: its sets share a community ${local.meanCommonDepth.toFixed(2)} levels deep on average, random sets ${random.meanCommonDepth.toFixed(2)}: ${coherence}.`,
    `New to the corpus: ${percent(local.unseenShare)} of its sets occur in no sample, ${percent(random.unseenShare)} of the random ones.`,
  ];
}
