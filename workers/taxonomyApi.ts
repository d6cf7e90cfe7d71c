import type { TaxonomyParams, TaxonomyRecord } from '../src/storage/taxonomyStore';

export type TaxonomyPhase =
  'reading skill index' | 'reading samples' | 'building graph' | 'building tree' | 'saving';

export interface TaxonomyProgress {
  phase: TaxonomyPhase;
  /** Units done and in all, for the current phase (samples read). */
  done: number;
  total: number;
}

/** `taxonomy`: corpus → graph → tree. The result is stored. */
export type TaxonomyApi = {
  taxonomy: {
    content: TaxonomyParams;
    progress: TaxonomyProgress;
    result: { taxonomy: TaxonomyRecord; cached: boolean };
  };
};
