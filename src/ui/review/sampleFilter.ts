// The Review step's filter over generated samples: what it can ask, and whether a sample passes.
import {
  currentMessages,
  reviewState,
  type ReviewState,
  type SampleReview,
} from '../../core/review/reviewOutcome';
import type { GeneratedSample } from '../../core/synthesis/generatedSample';

/** Which model-judged checks a sample passed (`GeneratedSample.checks`). */
export type CheckFilter = 'any' | 'all-covered' | 'some-missing' | 'agentic' | 'unchecked';

export interface ReviewFilter {
  /** Found in the conversation (as edited), ignoring case. */
  text: string;
  /** '' for any. */
  skill: string;
  /** null for any. */
  k: number | null;
  /** '' for any. */
  runId: string;
  /** A model id; '' for any. */
  model: string;
  check: CheckFilter;
  state: ReviewState | 'any';
}

export const anyFilter: ReviewFilter = {
  text: '',
  skill: '',
  k: null,
  runId: '',
  model: '',
  check: 'any',
  state: 'any',
};

/** Matches the text literally, ignoring case. */
function literalPattern(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

function passesCheck(sample: GeneratedSample, check: CheckFilter): boolean {
  const coverage = sample.checks?.coverage;
  switch (check) {
    case 'any':
      return true;
    case 'all-covered':
      return coverage !== undefined && coverage.missing.length === 0;
    case 'some-missing':
      return coverage !== undefined && coverage.missing.length > 0;
    case 'agentic':
      return sample.checks?.agentic !== undefined;
    case 'unchecked':
      return coverage === undefined && sample.checks?.agentic === undefined;
  }
}

/** Whether a sample passes the filter (the text is searched in the conversation as edited). */
export function sampleMatcher(
  filter: ReviewFilter,
  reviewOf: (sampleId: string) => SampleReview | undefined,
): (sample: GeneratedSample) => boolean {
  const { text, skill, k, runId, model, check, state } = filter;
  const pattern = text.trim() === '' ? null : literalPattern(text.trim());
  return (sample) => {
    if (k !== null && sample.k !== k) return false;
    if (runId !== '' && sample.runId !== runId) return false;
    if (model !== '' && sample.model.id !== model) return false;
    if (skill !== '' && !sample.skills.includes(skill)) return false;
    if (!passesCheck(sample, check)) return false;
    const review = reviewOf(sample.id);
    if (state !== 'any' && reviewState(review) !== state) return false;
    return (
      pattern === null ||
      currentMessages(sample, review).some((message) => pattern.test(message.content))
    );
  };
}

/** The skills, ks and models the samples have, sorted: the filter's choices. */
export function filterOptions(samples: readonly GeneratedSample[]) {
  const skills = new Set<string>();
  const ks = new Set<number>();
  const models = new Set<string>();
  for (const sample of samples) {
    for (const skill of sample.skills) skills.add(skill);
    ks.add(sample.k);
    models.add(sample.model.id);
  }
  return {
    skills: [...skills].sort(),
    ks: [...ks].sort((a, b) => a - b),
    models: [...models].sort(),
  };
}
