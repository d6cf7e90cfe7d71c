import type { TaxonomyParams, TaxonomySummary } from '../src/storage/taxonomyStore';

export type TaxonomyPhase =
  'reading skill index' | 'reading samples' | 'building graph' | 'building tree' | 'saving';

export interface TaxonomyProgress {
  phase: TaxonomyPhase;
  /** Units done and in all, for the current phase (samples read). */
  done: number;
  total: number;
}

/** `taxonomy`: corpus → graph → tree. The result is stored; its summary is returned. */
export type TaxonomyApi = {
  taxonomy: {
    content: TaxonomyParams;
    progress: TaxonomyProgress;
    result: { taxonomy: TaxonomySummary; cached: boolean };
  };
};
