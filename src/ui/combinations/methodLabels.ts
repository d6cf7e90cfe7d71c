// What the step calls each search mode and each compared method: honest about where each comes
// from (README.md, "STEPS against its baselines"; docs/method.md, "The search modes").
import type { ComparedMethod, MethodMeasures } from '../../core/combinations/compareMethods';
import type { SearchMode } from '../../core/taxonomy/combinationSearch';

export const searchModeLabels: Record<SearchMode, string> = {
  local: 'local: widens one level per step (STEPS as the paper describes it)',
  'most-coherent': 'most coherent: stays in the start’s lowest community with room',
  global: 'global: the whole taxonomy (what the authors’ released pipeline ran)',
  'reference-local': 'the authors’ shipped code: local chain (root first)',
  'reference-global': 'the authors’ shipped code: global',
};

const methodLabels: Record<ComparedMethod, string> = {
  'steps-local': 'STEPS local',
  'steps-most-coherent': 'STEPS most coherent',
  'reference-global': 'paper code, global (its released pipeline)',
  'reference-local': 'paper code, local chain',
  random: 'random sets (as Instruct-SkillMix draws them)',
  frequent: 'most frequent co-occurring sets',
};

/** A compared row's name; STEPS local rows at a coherence scope say which. */
export function methodLabel({ method, scope }: Pick<MethodMeasures, 'method' | 'scope'>): string {
  return scope ? `${methodLabels[method]}, scope ${scope}` : methodLabels[method];
}

/** A short name for a point of the plot. */
export function methodShortLabel({
  method,
  scope,
}: Pick<MethodMeasures, 'method' | 'scope'>): string {
  return scope ? `local ≤ ${scope}` : method;
}
