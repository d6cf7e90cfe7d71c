import type {
  CombinationParams,
  CombinationSetRecord,
  TaxonomyParams,
  TaxonomyRecord,
} from '../src/storage/taxonomyStore';

export type TaxonomyPhase = 'reading samples' | 'building graph' | 'building tree' | 'saving';

export interface TaxonomyProgress {
  phase: TaxonomyPhase | 'searching';
  /** Units done and in all, for the current phase (samples read, starts searched). */
  done: number;
  total: number;
}

/** `taxonomy`: corpus → graph → tree; `combinations`: tree → skill sets. Results are stored. */
export type TaxonomyApi = {
  taxonomy: {
    content: TaxonomyParams;
    progress: TaxonomyProgress;
    result: { taxonomy: TaxonomyRecord; cached: boolean };
  };
  combinations: {
    content: CombinationParams;
    progress: TaxonomyProgress;
    result: { combinationSet: CombinationSetRecord; cached: boolean };
  };
};
