import type { CombinationParams, CombinationSetRecord } from '../src/storage/taxonomyStore';

export interface CombinationsProgress {
  phase: 'searching';
  /** Starts searched, and in all. */
  done: number;
  total: number;
}

/** `combinations`: tree → skill sets. The result is stored. */
export type CombinationsApi = {
  combinations: {
    content: CombinationParams;
    progress: CombinationsProgress;
    result: { combinationSet: CombinationSetRecord; cached: boolean };
  };
};
