// The edge weightings and the minimum count of the skill graph (core/graph/buildSkillGraph.ts),
// each said in one line, for the Skills and Taxonomy steps' settings.
import type { EdgeWeighting } from '../../core/graph/buildSkillGraph';

export const weightingLabels: Record<EdgeWeighting, { label: string; explanation: string }> = {
  reference: {
    label: 'reference (co+2)/((nᵢ+1)(nⱼ+1))',
    explanation:
      'Reference weight (co + 2) / ((nᵢ + 1)(nⱼ + 1)), as the paper’s code: co samples share both skills, nᵢ and nⱼ carry each; rare skills that meet weigh most.',
  },
  count: {
    label: 'co-occurrence count',
    explanation: 'Co-occurrence count: a link weighs the number of samples that carry both skills.',
  },
  pmi: {
    label: 'PMI',
    explanation:
      'PMI ln(co · N / (nᵢ · nⱼ)): how much more often two skills meet than by chance (N tagged samples); pairs at or below chance get no link.',
  },
  npmi: {
    label: 'NPMI',
    explanation:
      'NPMI, PMI / −ln(co / N): PMI scaled to at most 1 (the two skills always together); pairs at or below chance get no link.',
  },
};

export const minCountExplanation = (minCount: number) =>
  `Minimum count ${minCount}: skills carried by fewer than ${minCount} ${minCount === 1 ? 'sample' : 'samples'} are left out of the graph${minCount === 1 ? ' (so none is)' : ''}.`;
